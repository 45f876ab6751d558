import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
	type CommandLine,
	closest,
	flagSpecs,
	flagText,
	optionLines,
	parseCommandLine,
} from '../source/commands/flags.js';

function error(argv: string[]): string {
	const line = parseCommandLine(argv);
	assert.equal(line.kind, 'error', `${argv.join(' ')} should be refused, got ${JSON.stringify(line)}`);
	return line.kind === 'error' ? line.message : '';
}

function ok(argv: string[]): Extract<CommandLine, { kind: 'run' }> {
	const line = parseCommandLine(argv);
	if (line.kind !== 'run') assert.fail(`${argv.join(' ')}: ${JSON.stringify(line)}`);
	return line;
}

test('a mistyped long option is refused with the flag it was probably meant to be', () => {
	assert.equal(error(['--prot', '/dev/ttyACM0']), 'unknown option --prot (did you mean --port?)');
	assert.equal(error(['--intervall', '1s']), 'unknown option --intervall (did you mean --interval?)');
	assert.equal(error(['--no-colour']), 'unknown option --no-colour (did you mean --no-color?)');
	assert.equal(error(['--bogus']), 'unknown option --bogus: see heaptop --help');
	// A flag meow used to take in camelCase is now spelt as --help shows it.
	assert.equal(error(['emulate', '--paceBaud', '9600']), 'unknown option --paceBaud (did you mean --pace-baud?)');
	// Switches that are off by default have no --no- form.
	assert.match(error(['--no-demo']), /^unknown option --no-demo/);
});

test('short options: -h and -v, and nothing else', () => {
	assert.deepEqual(parseCommandLine(['-h']), { kind: 'help' });
	assert.deepEqual(parseCommandLine(['-v']), { kind: 'version' });
	assert.deepEqual(parseCommandLine(['inspect', 'x', '--version']), { kind: 'version' });
	// Help wins over a mistake elsewhere on the line: the user asked what is right.
	assert.deepEqual(parseCommandLine(['--prot', '--help']), { kind: 'help' });
	assert.equal(error(['-x']), 'unknown option -x: see heaptop --help');
	assert.equal(error(['-hv']), 'unknown option -hv: see heaptop --help');
	// A lone dash is a word (standard input for inspect), not an option.
	assert.deepEqual(ok(['inspect', '-']).args, ['-']);
});

test('values are read as they are typed and refused with what the flag takes', () => {
	assert.equal(ok(['--demo', '--interval', '500ms']).flags.interval, 500);
	assert.equal(ok(['--demo', '--interval=2m']).flags.interval, 120_000);
	assert.equal(ok(['--demo', '--heap', '64k']).flags.heap, 65_536);
	assert.equal(ok(['emulate', '--pty', 'p', '--pace-baud', '9600']).flags.paceBaud, 9600);
	assert.equal(
		error(['--interval', '99999999999s']),
		'--interval takes a duration of at most 24 days, not "99999999999s"',
	);
	assert.equal(error(['--interval', '-1s']), '--interval takes a duration like 1s, 500ms or 2m, not "-1s"');
	// The bad value is judged before the words after it: not "unknown command p.py".
	assert.equal(
		error(['--timeout', '-1s', 'run', 'p.py']),
		'--timeout takes a duration like 1s, 500ms or 2m, not "-1s"',
	);
	assert.equal(error(['run', 'p.py', '--timeout', '0']), '--timeout takes a duration above 0, not "0"');
	assert.match(error(['--port', '']), /^--port takes a serial port: .*, not an empty value$/);
	assert.match(error(['--port']), /^--port needs a value: a serial port/);
	assert.match(error(['--port', '--demo']), /^--port needs a value/);
	assert.equal(
		error(['emulate', '--pty', 'p', '--pace-baud', 'abc']),
		'--pace-baud takes a whole number of baud, 1 to 100000000, not "abc"',
	);
	assert.equal(
		error(['emulate', '--pty', 'p', '--cut-after', '-5']),
		'--cut-after takes a whole number of bytes, 1 or more, not "-5"',
	);
	assert.equal(
		error(['emulate', '--pty', 'p', '--garbage-at', '-1']),
		'--garbage-at takes a whole number of bytes, 0 or more, not "-1"',
	);
	assert.equal(error(['emulate', '--pty', 'p', '--cut-after', '1.5']).startsWith('--cut-after takes a whole'), true);
	assert.match(
		error(['--demo', '--json', '--interval', '1s', '--count', '0']),
		/^--count takes a whole number of lines, 1 or more/,
	);
	assert.match(error(['--demo', '--heap', 'lots']), /^--heap "lots" is not a heap size/);
	assert.match(error(['--demo', '--record', '']), /^--record takes a file to append to, not an empty value/);
	assert.equal(error(['--demo', '--once=yes']), '--once takes no value, not "yes"');
	assert.equal(error(['--demo', '--once', '--once']), '--once is given twice');
});

test('every value flag refuses an empty value in one line that names it', () => {
	for (const [name, spec] of Object.entries(flagSpecs)) {
		if (spec.kind !== 'value') continue;
		const flag = `--${flagText(name as keyof typeof flagSpecs)}`;
		const message = error([`${flag}=`]);
		assert.ok(message.startsWith(`${flag} `), `${flag}: ${message}`);
		assert.ok(!message.includes('\n'));
	}
});

test('the command and its words', () => {
	assert.equal(ok([]).context, 'board');
	assert.equal(ok(['--listen', '--port', 'a0']).context, 'listening');
	assert.deepEqual(ok(['--demo', 'slow-leak']).args, ['slow-leak']);
	assert.deepEqual(ok(['imports', 'json', 're']).args, ['json', 're']);
	assert.deepEqual(ok(['inspect', '--', '--odd-name.txt']).args, ['--odd-name.txt']);
	assert.equal(error(['inpsect', 'f']), 'unknown command "inpsect" (did you mean inspect?)');
	assert.equal(error(['frobnicate']), 'unknown command "frobnicate": see heaptop --help');
	assert.equal(error(['inspect']), 'inspect needs a file, or - for standard input');
	assert.equal(error(['inspect', 'a', 'b']), 'inspect takes one file; "b" is one too many');
	assert.equal(error(['--demo', 'slow-leak', 'more']), '--demo takes one scenario; "more" is one too many');
	assert.equal(error(['ports', 'x']), 'ports takes no arguments here, not "x"');
	assert.equal(error(['imports']), 'imports needs at least one module name, e.g. heaptop imports json');
	assert.equal(
		error(['emulate']),
		'emulate needs where to serve: --pty PATH, --tcp HOST:PORT, --rfc2217 HOST:PORT or --webrepl HOST:PORT',
	);
	assert.match(error(['listen']), /heaptop listen --snippet/);
});

test('each combination that cannot mean anything is one line naming both flags', () => {
	assert.match(error(['--listen', '--demo']), /^--demo and --listen cannot go together: /);
	assert.match(error(['--demo', '--port', 'a0']), /^--demo and --port cannot go together/);
	assert.match(error(['--listen', '--interrupt']), /^--listen and --interrupt cannot go together/);
	assert.match(error(['--listen', '--collect', '--once']), /^--listen and --collect cannot go together/);
	assert.match(error(['imports', 'json', '--port', 'a0', '--heap', '64k']), /^--heap and --port cannot go together/);
	assert.match(error(['imports', 'json', '--port', 'a0', '--path', 'lib']), /^--path and --port cannot go together/);
	assert.match(error(['--demo', '--once', '--interval', '1s']), /^--once and --interval cannot go together/);
	assert.match(error(['emulate', '--pty', 'p', '--busy', '--main', 'm.py']), /^--busy and --main cannot go together/);
	assert.equal(error(['--fresh', '--demo']), '--fresh does not go with --demo; it is for imports');
	assert.equal(error(['--demo', '--pty', 'p']), '--pty does not go with --demo; it is for emulate');
	assert.equal(error(['run', 'p.py', '--demo']), '--demo does not go with run; it is for --demo');
	assert.match(
		error(['run', 'p.py', '--port', 'a0', '--timeout', '5s']),
		/^--timeout stops a script on the emulated board/,
	);
	assert.match(error(['--heap', '64k']), /^--heap does not go with a board's live screen; it is for --demo, run/);
	assert.match(error(['inspect', 'f', '--record', 'r']), /^--record does not go with inspect/);
	assert.match(error(['ports', '--no-color', '--interrupt']), /^--interrupt does not go with ports/);
	assert.match(error(['emulate', '--pty', 'p', '--no-color']), /^--no-color does not go with emulate/);
	assert.match(error(['--demo', '--collect']), /^--collect needs --once or --json/);
	assert.match(error(['--demo', '--json', '--count', '2']), /^--count needs --json --interval/);
	assert.match(error(['emulate', '--pty', 'p', '--cut-for', '5']), /^--cut-for needs --cut-after/);
	assert.match(error(['--listen', '--timeout', '5s']), /^--timeout with --listen needs --once or --json/);
	assert.equal(error(['--demo', '--list', '--json']), '--list only lists the scenarios: --json does not go with it');
	assert.equal(
		error(['--demo', '--list', 'slow-leak']),
		'--list only lists the scenarios: "slow-leak" does not go with it',
	);
	assert.match(error(['--list', '--heap', '64k']), /^--list only lists the scenarios: --heap/);
	// And what does mean something goes through.
	ok(['--demo', '--json', '--interval', '10ms', '--count', '2', '--record', 'r.jsonl']);
	ok(['--listen', '--port', 'a0', '--once', '--timeout', '30s']);
	ok(['--listen', '--port', 'a0', '--json', '--count', '3']);
	ok(['imports', 'json', '--port', 'a0', '--fresh', '--interrupt']);
	ok(['emulate', '--pty', 'p', '--no-raw-paste', '--cut-after', '100', '--cut-for', '50', '--heap', '64k']);
	ok(['replay', 'r.jsonl', '--once', '--all', '--json', '--no-color']);
	ok(['--demo', '--list']);
	ok(['--list', '--no-color']);
});

test('every flag but --ascii is refused somewhere, and every flag is listed in --help', () => {
	// Pure ASCII output concerns whatever heaptop prints, so --ascii is the one flag every command takes.
	const everywhere = new Set(['ascii']);
	const help = [...optionLines('main'), ...optionLines('emulate')].join('\n');
	for (const [name, spec] of Object.entries(flagSpecs)) {
		const flag = flagText(name as keyof typeof flagSpecs);
		assert.match(help, new RegExp(`--(no-)?${flag}\\b`), `--${flag} is in --help`);
		if (everywhere.has(name)) assert.equal(spec.contexts.length, 11, `--${flag} means something everywhere`);
		else assert.ok(spec.contexts.length < 11, `--${flag} means something everywhere?`);
	}
});

test('suggestions only for near misses', () => {
	assert.equal(closest('prot', ['port', 'once']), 'port');
	assert.equal(closest('xyz', ['port', 'once']), undefined);
	assert.equal(closest('jsno', ['json']), 'json');
});

test('every flag in every command and screen: refused where it means nothing, in one line that names it', () => {
	const contexts: Record<string, string[]> = {
		board: [],
		demo: ['--demo'],
		listening: ['--listen'],
		inspect: ['inspect', 'f.txt'],
		replay: ['replay', 'r.jsonl'],
		run: ['run', 's.py'],
		ports: ['ports'],
		listen: ['listen', '--snippet'],
		imports: ['imports', 'json'],
		profile: ['profile', 'p.py'],
		emulate: ['emulate', '--pty', '/tmp/board'],
	};
	for (const [context, base] of Object.entries(contexts)) assert.equal(ok(base).context, context);
	for (const [name, spec] of Object.entries(flagSpecs)) {
		const flag = flagText(name as keyof typeof flagSpecs);
		// These choose the screen itself: heaptop --demo is the demo, not the board's screen with a stray flag.
		if (name === 'demo' || name === 'listen' || name === 'list') continue;
		let typed = [spec.kind === 'switch' && spec.default ? `--no-${flag}` : `--${flag}`];
		if (spec.kind === 'value') {
			const sample = ['1s', '64k', '100', '/tmp/x'].find((value) => spec.read.read(value, flag).ok);
			assert.ok(sample, `a value --${flag} takes`);
			typed = [...typed, sample];
		}
		for (const [context, base] of Object.entries(contexts)) {
			if (base.includes(typed[0] ?? '')) continue;
			const line = parseCommandLine([...base, ...typed]);
			if ((spec.contexts as readonly string[]).includes(context)) {
				// Where it belongs, it goes through, or is refused for a missing partner named in the line.
				if (line.kind === 'error') assert.match(line.message, new RegExp(`--${flag}\\b|--(no-)?${flag}`), line.message);
				continue;
			}
			assert.equal(line.kind, 'error', `${typed.join(' ')} in ${context} should be refused`);
			if (line.kind === 'error') {
				assert.ok(line.message.includes(typed[0] ?? ''), `${context}: ${line.message}`);
				assert.ok(!line.message.includes('\n'));
			}
		}
	}
});
