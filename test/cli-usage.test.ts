import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isTerminalDevice, terminalDrivers } from '../source/commands/ports.js';
import { choosePort, listPorts } from '../source/sources/ports.js';
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
	for (const line of help.stdout.split('\n')) assert.ok(line.length <= 100, `--help within 100 columns: ${line}`);
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
	refused(['run', 'p.py', '--port', 'a0', '--timeout', '1s'], 2, /--timeout stops a script on the emulated board/);
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

test('--port naming something that is no serial port: one line, exit 2, not the binding raw error', () => {
	refused(['--port', '/etc/passwd', '--once'], 2, /--port \/etc\/passwd is a file, not a serial port/);
	refused(['--port', tmpdir(), '--once'], 2, /is a folder, not a serial port/);
	refused(['--listen', '--port', '/etc/passwd', '--once'], 2, /--port \/etc\/passwd is a file/);
	refused(['imports', 'json', '--port', '/etc/passwd'], 2, /--port \/etc\/passwd is a file/);
	if (existsSync('/proc/tty/drivers')) {
		refused(['--port', '/dev/null', '--json'], 2, /--port \/dev\/null is a device, but not a serial port/);
	}
});

test('--port with a URL scheme heaptop has no link for: one line naming the one it has, exit 2', () => {
	refused(
		['--port', 'tcp://127.0.0.1:2217', '--once'],
		2,
		/no tcp:\/\/ link; did you mean socket:\/\/127\.0\.0\.1:2217\?$/,
	);
	refused(['--listen', '--port', 'telnet://pi:2217', '--json'], 2, /did you mean rfc2217:\/\/pi:2217\?$/);
	refused(
		['run', 'examples/frame-buffer.py', '--port', 'http://10.0.0.5:8266'],
		2,
		/did you mean ws:\/\/10\.0\.0\.5:8266\?$/,
	);
	refused(['--port', 'ftp://x:1', '--once'], 2, /takes a serial path, socket:\/\/, rfc2217:\/\/, ws:\/\/ or wss:\/\/$/);
});

test(
	'the terminal drivers of this machine tell a pseudo-terminal from /dev/null',
	{ skip: !existsSync('/proc/tty/drivers') && 'not Linux' },
	() => {
		const drivers = terminalDrivers(readFileSync('/proc/tty/drivers', 'utf8'));
		assert.ok(drivers.length > 0);
		assert.equal(isTerminalDevice(statSync('/dev/ptmx').rdev, drivers), true);
		assert.equal(isTerminalDevice(statSync('/dev/null').rdev, drivers), false);
		assert.equal(isTerminalDevice(statSync('/dev/zero').rdev, drivers), false);
	},
);

/** True when a board is plugged in here, which makes the no-board lines below untestable. */
async function boardPluggedIn(): Promise<boolean> {
	const { ports } = await listPorts();
	return choosePort(ports).kind !== 'none';
}

test('without --demo, a snapshot or a stream needs a board: exit 1, one line, no emulator figures', async (t) => {
	if (await boardPluggedIn()) {
		t.skip('a board is plugged in here');
		return;
	}
	for (const args of [
		['--once'],
		['--once', '--json'],
		['--json'],
		['--port', 'auto', '--once'],
		['--json', '--interval', '1s'],
	]) {
		refused(
			args,
			1,
			/^heaptop: no MicroPython board found \((ports seen: .*|no serial ports seen)\); --demo for the emulated board$/,
		);
	}
	refused(['--listen', '--once'], 1, /--listen needs a board: no MicroPython board found/);
});

test('--record to a path that cannot hold a recording is exit 2; a full disk is exit 1; neither says nothing', () => {
	const scratch = mkdtempSync(join(tmpdir(), 'heaptop-record-'));
	try {
		refused(
			['--demo', '--once', '--record', join(scratch, 'no-such-folder', 'r.jsonl')],
			2,
			/--record .*: there is no folder/,
		);
		refused(['--demo', '--once', '--record', scratch], 2, /--record .*: that is a folder/);
		// A planted link, dangling: refused before anything starts, and its target is not created.
		const planted = join(scratch, 'planted.jsonl');
		symlinkSync(join(scratch, 'victim'), planted);
		refused(
			['--demo', '--once', '--record', planted],
			2,
			/--record .*: it is a symbolic link, which heaptop does not write through$/,
		);
		assert.equal(existsSync(join(scratch, 'victim')), false, 'the link was not followed');
		refused(['--demo', '--once', '--record', ''], 2, /--record takes a file to append to, not an empty value/);
		refused(
			['emulate', '--pty', join(scratch, 'no-such-folder', 'board')],
			2,
			/^heaptop: --pty .*: there is no folder/,
		);
		refused(['imports', 'json', '--path', '/etc/passwd'], 2, /^heaptop: --path \/etc\/passwd: not a folder$/);
		refused(['listen', '--snippet', '--interval', '0'], 2, /--interval with listen --snippet .*above 0/);
		if (existsSync('/dev/full')) {
			const run = heaptop(['--demo', '--once', '--json', '--record', '/dev/full']);
			assert.equal(run.code, 1, run.stderr);
			assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
			assert.match(run.stderr, /^heaptop: recording to \/dev\/full stopped: ENOSPC/);
		}
	} finally {
		rmSync(scratch, { recursive: true, force: true });
	}
});
