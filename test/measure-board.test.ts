import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { busyProgram, startVirtualBoard, type VirtualBoard } from '../source/sources/virtual-board.js';
import { friendly } from './helpers/friendly-repl.js';
import { heaptop, heaptopAsync } from './helpers/heaptop.js';
import { socatSkip } from './helpers/socat.js';

/*
 * `imports` and `profile` on a board: the built command against the virtual board (the real MicroPython VM
 * behind a real pseudo-terminal). The board's own files are written by its main program at start, as a user's
 * would be copied there with mpremote.
 */

const dir = mkdtempSync(join(tmpdir(), 'heaptop-measure-board-'));
let serialNumber = 0;
after(() => rmSync(dir, { recursive: true, force: true }));
const skip = socatSkip();

// A main.py that puts modules on the board's filesystem and leaves a variable of the user's in __main__.
const setupProgram = [
	'import os',
	'try:',
	"    os.mkdir('/lib')",
	'except OSError:',
	'    pass',
	"with open('/lib/keeps_buffer.py', 'w') as f:",
	"    f.write('buffer = bytearray(10000)\\n')",
	"with open('/lib/keeps_list.py', 'w') as f:",
	"    f.write('items = [0] * 500\\n')",
	'del f, os',
	'users_own = 4242',
	'',
].join('\n');

async function withBoard(mainProgram: string, body: (board: VirtualBoard) => Promise<void>): Promise<void> {
	const board = await startVirtualBoard({ ptyPath: join(dir, `board-${serialNumber++}`), mainProgram });
	try {
		await body(board);
	} finally {
		await board.close();
	}
}

describe('heaptop imports --port', { timeout: 120_000, skip }, () => {
	test('measures on the board, leaves it as it was, and a second run says the module is already there', async () => {
		await withBoard(setupProgram, async (board) => {
			const first = await heaptopAsync(['imports', 'keeps_buffer', '--port', board.path, '--json']);
			assert.equal(first.code, 0, first.stderr);
			const [cost] = JSON.parse(first.stdout);
			assert.equal(cost.module, 'keeps_buffer');
			assert.ok(cost.retainedBytes >= 10000 && cost.retainedBytes < 11000, `measured ${cost.retainedBytes} B`);
			assert.equal(cost.alreadyImported, false);
			assert.equal(first.stderr, '', 'no reset, nothing to warn about');

			// Back at the friendly prompt, with the user's variable untouched: no soft reset happened.
			assert.match(await friendly(board.path, 'print(users_own)'), /\r\n4242\r\n/);

			const second = await heaptopAsync(['imports', 'keeps_buffer', '--port', board.path]);
			assert.equal(second.code, 0, second.stderr);
			assert.match(second.stdout, /keeps_buffer +0 B .*already imported$/m);
			assert.match(second.stdout, /--fresh soft-resets the board before each import/);
		});
	});

	test('--fresh soft-resets before each import, says so, and measures each module from scratch', async () => {
		await withBoard(setupProgram, async (board) => {
			await friendly(board.path, 'import keeps_buffer');
			const run = await heaptopAsync(['imports', 'keeps_list', 'keeps_buffer', '--port', board.path, '--fresh']);
			assert.equal(run.code, 0, run.stderr);
			assert.match(
				run.stderr,
				/^heaptop: --fresh: soft-resetting the board before each import, wiping its variables and modules\n$/,
			);
			assert.match(run.stdout, /soft-reset before each module: --fresh/);
			const retained = (module: string) => {
				const match = new RegExp(`^${module} +([\\d,]+) B`, 'm').exec(run.stdout);
				assert.ok(match, `${module} in\n${run.stdout}`);
				return Number(match[1]?.replaceAll(',', ''));
			};
			const buffer = retained('keeps_buffer');
			assert.ok(buffer >= 10000 && buffer < 11000, `imported before, yet measured afresh: ${buffer} B`);
			assert.ok(retained('keeps_list') >= 500 * 4, 'a 500-item list keeps at least a word per item');
			assert.match(await friendly(board.path, 'print(users_own)'), /NameError/, 'the reset wiped __main__');
		});
	});

	test('a busy board is left running, in one line', async () => {
		await withBoard(busyProgram(100), async (board) => {
			const run = await heaptopAsync(['imports', 'keeps_buffer', '--port', board.path]);
			assert.equal(run.code, 1);
			assert.match(
				run.stderr,
				/^heaptop: (.*) is running a program: run heaptop imports --port \1 --interrupt to stop it first/,
			);
			assert.equal(run.stderr.split('\n').length, 2, 'one line');
		});
	});
});

describe('heaptop profile --port', { timeout: 120_000, skip }, () => {
	test("runs each statement in the board's namespace, says so, and charges what it keeps", async () => {
		const script = join(dir, 'script.py');
		writeFileSync(script, 'kept = bytearray(5000)\nfor i in range(3):\n    junk = bytearray(3000)\njunk = None\n');
		await withBoard('', async (board) => {
			const run = await heaptopAsync(['profile', script, '--port', board.path, '--json']);
			assert.equal(run.code, 0, run.stderr);
			assert.match(run.stderr, /runs in the board's own namespace: this changes the board's state\n/);
			const [kept, loop, cleared] = JSON.parse(run.stdout);
			assert.equal(kept.line, 1);
			// Plus the name `kept`: the first name the board has not seen is interned into a new qstr pool (about
			// 300 B on this VM), which stays for good, so a by-hand measurement charges it to this statement too.
			assert.ok(kept.retainedBytes >= 5000 && kept.retainedBytes < 5600, `kept ${kept.retainedBytes} B`);
			assert.equal(loop.line, 2);
			assert.ok(loop.retainedBytes >= 3000, 'the last buffer is still bound to junk');
			assert.ok(loop.garbageBytes >= 2 * 3000, `two buffers dropped inside the loop: ${loop.garbageBytes} B`);
			assert.ok(cleared.retainedBytes <= -3000, 'junk = None frees the last one');
			assert.match(await friendly(board.path, 'print(len(kept))'), /\r\n5000\r\n/, 'its names stay on the board');
		});
	});

	test('a MemoryError stops the run at its line, with the free figures, and the board is still usable', async () => {
		const script = join(dir, 'too-big.py');
		writeFileSync(script, 'a = 1\nhuge = bytearray(10_000_000)\nb = 2\n');
		await withBoard('', async (board) => {
			const run = await heaptopAsync(['profile', script, '--port', board.path]);
			assert.equal(run.code, 1, run.stderr);
			assert.match(run.stdout, /line 2 raised MemoryError/);
			assert.match(
				run.stdout,
				/were free in total,\nbut the largest free run was [\d,]+ B: nothing bigger can be allocated/,
			);
			assert.doesNotMatch(run.stdout, /^ +3 /m, 'the statement after the failure did not run');
			assert.match(await friendly(board.path, 'print(a)'), /\r\n1\r\n/);
		});
	});
});

test('a board unplugged in the middle of a profile is one line and exit 1', { timeout: 60_000, skip }, async () => {
	const script = join(dir, 'slow.py');
	// A loop that never ends, so the board is pulled mid-profile whenever the pull lands: no race with a clock.
	writeFileSync(script, 'x = 1\nwhile True:\n    pass\ny = 2\n');
	await withBoard('', async (board) => {
		let started = () => {};
		const runningStatements = new Promise<void>((resolve) => {
			started = resolve;
		});
		const running = heaptopAsync(['profile', script, '--port', board.path], {
			onStderr: (soFar) => {
				if (soFar.includes("in the board's own namespace")) started();
			},
		});
		await runningStatements;
		await board.unplug();
		const run = await running;
		assert.equal(run.code, 1);
		assert.match(run.stderr, /\nheaptop: the board went away while (running code|reading the heap) \(unplugged/);
		assert.doesNotMatch(run.stderr, /at .*\.js:\d+/, 'no stack trace');
	});
});

test(
	'a statement that soft-reboots the board (sys.exit) ends the run in one line, and the board stays usable',
	{ skip },
	async () => {
		const script = join(dir, 'exits.py');
		writeFileSync(script, 'x = 1\nimport sys\nsys.exit()\ny = 2\n');
		await withBoard('', async (board) => {
			const run = await heaptopAsync(['profile', script, '--port', board.path]);
			assert.equal(run.code, 1);
			assert.match(
				run.stderr,
				/\nheaptop: the board soft-rebooted \(sys\.exit\(\), or a watchdog\): its heap was reset/,
			);
			assert.match(await friendly(board.path, 'print(1 + 1)'), /\r\n2\r\n/);
		});
	},
);

test('board-only mistakes are one line each', () => {
	for (const [args, pattern] of [
		[['imports', 'json', '--port', join(dir, 'no-such-port')], /^heaptop: .*no-such-port does not exist/],
		[
			['imports', 'json', '--port', '/dev/null', '--path', dir],
			/^heaptop: --path and --port cannot go together: --path installs files in the emulated board only/,
		],
		[
			['profile', 'x.py', '--port', '/dev/null', '--heap', '64k'],
			/^heaptop: --heap and --port cannot go together: --heap sizes the emulated board/,
		],
		[['run', 'x.py', '--port', '/dev/null', '--heap', '64k'], /^heaptop: --heap and --port cannot go together/],
	] as const) {
		const run = heaptop([...args]);
		assert.notEqual(run.code, 0);
		assert.match(run.stderr, pattern);
		assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
	}
});
