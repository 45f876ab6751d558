import { canRunTui } from '../ui/terminal/terminal.js';
import { commandNames } from './command-names.js';

/**
 * Which build runs a command line: `dist/cli.cjs` asks before it loads anything else (scripts/build.ts).
 * A run that cannot show the live screen gets the printing build, `dist/print.js`: the whole command line in
 * one file, without Ink and React, that Node reads at once (with the code V8 compiled for it at build time)
 * instead of finding some forty chunks one by one. Any other run gets the whole program, chunked, screen and all.
 *
 * False only when that is certain, by the rules cli.tsx itself follows: the screen is shown only for a live
 * heap or `replay`, never with `--once` or `--json`, and only with a terminal on both ends (`canRunTui`, the
 * same function). When unsure, true: the whole program can do everything, only a little slower to start.
 * An option's value can never be `--once` or `--json` (the parser does not take a word that starts with
 * `--` as a value), and after `--` everything is a word.
 */
export function mayShowScreen(
	argv: readonly string[],
	stdin: { isTTY?: boolean },
	stdout: { isTTY?: boolean },
	env: Record<string, string | undefined> = process.env,
): boolean {
	if (!canRunTui(stdin, stdout, env)) return false;
	const end = argv.indexOf('--');
	const options = end === -1 ? argv : argv.slice(0, end);
	if (options.includes('--once') || options.includes('--json')) return false;
	// The first word, when it is a command, is the command (flags.ts); only `replay` has a screen.
	const [first] = argv;
	return first === undefined || first === 'replay' || !(commandNames as readonly string[]).includes(first);
}
