#!/usr/bin/env node
/**
 * Where Node starts heaptop (built as `dist/cli.js`). `heaptop --version` is what scripts, version managers
 * and package checks run most, and its answer needs nothing but package.json: it is given here, before the
 * command line's parser, the output guards and their chunks load (a third of that run's own time). Every other
 * command line is cli.tsx's: in the printing build (`dist/print.js`, one script) when it cannot show the live
 * screen, else in the whole program's chunks (choose-build.ts says which, scripts/build.ts why).
 */
import { mayShowScreen } from './source/commands/choose-build.js';
import { runPrintingBuild } from './source/commands/printing-build.js';
import { packageFacts } from './source/commands/version.js';

const args = process.argv.slice(2);
if (args.length === 1 && args[0] === '--version') {
	process.stdout.write(`${packageFacts(import.meta.url).version}\n`);
} else if (
	// stdout first: cli.tsx makes that stream anyway. Asking about stdin loads `tty` (and `net`), which a
	// stdout that is a terminal has loaded already, and a run into a file or a pipe never needs.
	process.stdout.isTTY === true &&
	mayShowScreen(args, { isTTY: (await import('node:tty')).isatty(0) }, process.stdout)
) {
	await import('./cli.js');
} else {
	// The printing build is a bundle of its own, built beside this one, and run as a script.
	await runPrintingBuild(import.meta.url);
}
