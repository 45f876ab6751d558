#!/usr/bin/env node
/**
 * Where Node starts heaptop (built as `dist/cli.js`). `heaptop --version` is what scripts, version managers
 * and package checks run most, and its answer needs nothing but package.json: it is given here, before the
 * command line's parser, the output guards and their chunks load (a third of that run's own time). Every other
 * command line is cli.tsx's, loaded as a chunk of its own.
 */
import { packageFacts } from './source/commands/version.js';

const args = process.argv.slice(2);
if (args.length === 1 && args[0] === '--version') {
	process.stdout.write(`${packageFacts(import.meta.url).version}\n`);
} else {
	await import('./cli.js');
}
