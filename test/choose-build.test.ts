import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mayShowScreen } from '../source/commands/choose-build.js';
import { commandNames, parseCommandLine } from '../source/commands/flags.js';

const terminal = { isTTY: true };
const pipe = { isTTY: false };
const xterm = { TERM: 'xterm-256color' };

test('a run that cannot show the screen is told apart before the parser loads', () => {
	const printing: string[][] = [
		['--once'],
		['--json'],
		['--port', '/dev/ttyACM0', '--once', '--json'],
		['--demo', 'fragmentation', '--once'],
		['replay', 'session.heaptop', '--once'],
		['replay', 'session.heaptop', '--json'],
		...commandNames.filter((name) => name !== 'replay').map((name) => [name, 'x']),
	];
	for (const argv of printing) assert.equal(mayShowScreen(argv, terminal, terminal, xterm), false, argv.join(' '));
	const screen: string[][] = [
		[],
		['--demo'],
		['--port', '/dev/ttyACM0'],
		['replay', 'session.heaptop'],
		// After `--` every word is a word: a recording may be called --once.
		['replay', '--', '--once'],
		// Not certain: the first word after an option may be a command, or the option's value.
		['--port', 'inspect'],
		['--prot', 'x'],
		['-'],
	];
	for (const argv of screen) assert.equal(mayShowScreen(argv, terminal, terminal, xterm), true, argv.join(' '));
});

test('without a terminal on both ends, or on TERM=dumb, no run shows the screen', () => {
	assert.equal(mayShowScreen([], pipe, terminal, xterm), false);
	assert.equal(mayShowScreen([], terminal, pipe, xterm), false);
	assert.equal(mayShowScreen([], {}, {}, xterm), false);
	assert.equal(mayShowScreen(['--demo'], terminal, terminal, { TERM: 'dumb' }), false);
	assert.equal(mayShowScreen(['--demo'], terminal, terminal, {}), true);
});

/** What cli.tsx does with a command line on two terminals: true when it shows the live screen. */
function showsScreen(argv: readonly string[]): boolean {
	const line = parseCommandLine(argv);
	if (line.kind !== 'run' || line.flags.once || line.flags.json) return false;
	return line.command === undefined || line.command === 'replay';
}

test('the printing build is never chosen for a command line that shows the screen, over many made-up ones', () => {
	// Words that matter to the choice, values that look like flags or commands, and ordinary ones.
	const vocabulary = [
		...commandNames,
		'--once',
		'--json',
		'--',
		'-',
		'--port',
		'--port=--once',
		'/dev/ttyACM0',
		'--demo',
		'fragmentation',
		'--interval',
		'1s',
		'--all',
		'--fit',
		'4k',
		'--ascii',
		'--no-color',
		'--record',
		'out.heaptop',
		'session.heaptop',
		'--prot',
		'-h',
	];
	let seed = 15;
	const next = () => {
		// A fixed linear congruential sequence: the same command lines on every run, so a failure reproduces.
		seed = (seed * 1103515245 + 12345) % 2 ** 31;
		return seed;
	};
	let printing = 0;
	let shown = 0;
	for (let round = 0; round < 20_000; round++) {
		const argv = Array.from({ length: next() % 6 }, () => vocabulary[next() % vocabulary.length] ?? '');
		const may = mayShowScreen(argv, terminal, terminal, xterm);
		if (showsScreen(argv)) {
			shown++;
			assert.equal(may, true, `heaptop ${argv.join(' ')} shows the screen but would get the printing build`);
		}
		if (!may) printing++;
	}
	// The sample has both kinds, plenty of each: a rule that always said "the whole program" would pass the
	// loop above, and would be no faster.
	assert.ok(printing > 5_000, `only ${printing} printing runs told apart`);
	assert.ok(shown > 1_000, `only ${shown} runs that show the screen`);
});
