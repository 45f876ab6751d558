import { runTui } from '../../source/ui/run-tui.js';
import { createFixtureSource } from './fixture-source.js';

// A way to look at the TUI on a real fixture before a real source exists:
//   node --import tsx test/helpers/dev-tui.tsx [fixture.txt] [--no-color] [--ascii]
const fixture =
	process.argv.slice(2).find((argument) => argument.endsWith('.txt')) ??
	'qemu-mps2an385-v1.29pre-two-dumps-before-after-gc.txt';
const source = createFixtureSource({ fixture, description: `fixture ${fixture}` });
const code = await runTui(source, {
	color: !process.argv.includes('--no-color'),
	ascii: process.argv.includes('--ascii'),
	intervalMs: 0,
});
process.exitCode = code;
