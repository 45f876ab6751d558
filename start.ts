#!/usr/bin/env node
/**
 * Where Node starts heaptop (built as `dist/cli.cjs`, CommonJS: scripts/bundle-options.ts `startBuildOptions`
 * says why). `heaptop --version` is what scripts, version managers and package checks run most, and its answer
 * needs nothing but package.json: it is given here, before the command line's parser, the output guards and
 * their modules load (a third of that run's own time). Every other command line is cli.tsx's: in the printing
 * build (`dist/print.js`, one script) when it cannot show the live screen, else in the whole program's build
 * (`dist/main.js` and its chunks; choose-build.ts says which, scripts/build.ts why).
 *
 * No top-level await: a CommonJS file has none.
 */
import { createRequire } from 'node:module';
import { mayShowScreen } from './source/commands/choose-build.js';
import { internalErrorText } from './source/commands/errors.js';
import { runPrintingBuild } from './source/commands/printing-build.js';
import { packageFacts } from './source/commands/version.js';

async function start(args: string[]): Promise<void> {
	if (args.length === 1 && args[0] === '--version') {
		process.stdout.write(`${packageFacts(import.meta.url).version}\n`);
		return;
	}
	// stdout first: cli.tsx makes that stream anyway. Asking about stdin loads `tty` (and `net`), which a
	// stdout that is a terminal has loaded already, and a run into a file or a pipe never needs. Required, not
	// imported: an import() would start the ES module loader that a CommonJS start does without.
	const showsScreen =
		process.stdout.isTTY === true &&
		mayShowScreen(
			args,
			{ isTTY: (createRequire(import.meta.url)('node:tty') as typeof import('node:tty')).isatty(0) },
			process.stdout,
		);
	if (showsScreen) await import('./cli.js');
	// The printing build is a bundle of its own, built beside this one, and run as a script.
	else await runPrintingBuild(import.meta.url);
}

// cli.tsx says a user's errors in its own words; what reaches here is heaptop's own failure (a build with a
// file missing), and it fails the run whatever Node's --unhandled-rejections says.
start(process.argv.slice(2)).catch((error: unknown) => {
	process.stderr.write(internalErrorText(error));
	process.exitCode = 1;
});
