import assert from 'node:assert/strict';
import { test } from 'node:test';
import { heaptop } from './helpers/heaptop.js';

/** Runs heaptop and checks the user's view: the exit code, nothing on stdout, one line on stderr that says `want`. */
function refused(args: string[], code: number, want: RegExp): void {
	const run = heaptop(args);
	const shown = `heaptop ${args.join(' ')}`;
	assert.equal(run.code, code, `${shown}: ${run.stderr}`);
	assert.equal(run.stdout, '', shown);
	const lines = run.stderr.split('\n').filter((line) => line !== '');
	assert.equal(lines.length, 1, `${shown} printed:\n${run.stderr}`);
	assert.match(lines[0] ?? '', /^heaptop: /);
	assert.match(lines[0] ?? '', want, shown);
}

test('mistyped and unknown options: one line, exit 2, with a suggestion when one is close', () => {
	refused(['--prot', '/dev/ttyACM0'], 2, /unknown option --prot \(did you mean --port\?\)$/);
	refused(['--bogus'], 2, /unknown option --bogus/);
	refused(['-x'], 2, /unknown option -x/);
	refused(['--demo', '--once', '--jsn'], 2, /did you mean --json\?/);
	refused(['inpsect', 'dump.txt'], 2, /unknown command "inpsect" \(did you mean inspect\?\)/);
});

test('-h and -v are --help and --version', () => {
	const help = heaptop(['-h']);
	assert.equal(help.code, 0);
	assert.match(help.stdout, /Usage/);
	assert.deepEqual(heaptop(['--help']).stdout, help.stdout);
	const version = heaptop(['-v']);
	assert.equal(version.code, 0);
	assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
	assert.equal(heaptop(['--version']).stdout, version.stdout);
});

test('--help lists every key of the live screen, i and b included', () => {
	const { stdout } = heaptop(['--help']);
	const keys = stdout.slice(stdout.indexOf('Keys in the live screen'), stdout.indexOf('Examples'));
	for (const key of ['g', 'r  space', 'p', 'd', 'z', 'l', 'o', 's', 'i', 'b', 'n', '1-9', '[  ]', 'q  Ctrl-C']) {
		assert.match(keys, new RegExp(`^ {4}${key.replace(/[[\]]/g, '\\$&')} `, 'm'), `key ${key}`);
	}
});

test('conflicting flags: one line naming both, exit 2', () => {
	refused(['--listen', '--demo'], 2, /--demo and --listen cannot go together/);
	refused(['--fresh', '--demo'], 2, /--fresh does not go with --demo/);
	refused(['--demo', '--pty', '/tmp/x'], 2, /--pty does not go with --demo/);
	refused(['--demo', '--port', '/dev/ttyACM0'], 2, /--demo and --port cannot go together/);
	refused(['--demo', '--once', '--interval', '1s'], 2, /--once and --interval cannot go together/);
	refused(['run', 'p.py', '--port', 'a0'], 2, /run uses the emulated board only/);
	refused(['--demo', '--collect'], 2, /--collect needs --once or --json/);
});

test('bad values: one line naming the flag and what it takes, exit 2', () => {
	// Not Node's TimeoutOverflowWarning, and not a 1 ms interval.
	refused(['--demo', '--interval', '99999999999s'], 2, /--interval takes a duration of at most 24 days/);
	refused(['--demo', '--interval', '-1s'], 2, /--interval takes a duration like 1s, 500ms or 2m, not "-1s"/);
	refused(['--timeout', '-1s', 'run', 'p.py'], 2, /--timeout takes a duration like 1s/);
	refused(['--port', ''], 2, /--port takes a serial port/);
	refused(['emulate', '--pty', '/tmp/x', '--pace-baud', 'abc'], 2, /--pace-baud takes a whole number/);
	refused(['emulate', '--pty', '/tmp/x', '--cut-after', '-5'], 2, /--cut-after takes a whole number/);
	refused(['emulate', '--pty', '/tmp/x', '--garbage-at', '-1'], 2, /--garbage-at takes a whole number/);
	refused(['--demo', '--json', '--interval', '1s', '--count', 'x'], 2, /--count takes a whole number of lines/);
	refused(['--demo', '--once', '--heap', '1k'], 2, /--heap .*too small/);
	refused(['--demo', '--once', '--record', ''], 2, /--record takes a file/);
});
