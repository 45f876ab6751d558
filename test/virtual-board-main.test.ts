import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { runEmulate } from '../source/commands/emulate.js';
import { RuntimeFailure } from '../source/commands/errors.js';
import { createBoardSource } from '../source/sources/board.js';
import { startVirtualBoard } from '../source/sources/virtual-board.js';
import { consoleRig } from './helpers/console-rig.js';
import { socatSkip } from './helpers/socat.js';

const dir = mkdtempSync(join(tmpdir(), 'heaptop-board-main-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A main.py that keeps every block it gets until the heap has none left, whatever the heap's size. */
const fillTheHeap = 'kept = []\nwhile True:\n    kept.append(bytearray(64))\n';

describe("the virtual board's main.py runs as a board's does", { timeout: 60_000 }, () => {
	test('a main.py that fills the heap ends in MemoryError and a prompt; each command then meets it; Ctrl-D frees it', async () => {
		const board = await consoleRig('micropython', fillTheHeap);
		assert.match(board.started, /MemoryError/);
		assert.ok(board.started.endsWith('>>> '), `the REPL is up after main.py: ${JSON.stringify(board.started)}`);
		// As on a board: the heap is still full (main.py's globals hold it), so a command has no room to compile.
		assert.match(board.send('x = 1\r'), /MemoryError[^\r]*\r\n>>> $/);
		const rebooted = board.send('\x04');
		assert.match(rebooted, /MPY: soft reboot\r\n/);
		assert.ok(rebooted.endsWith('>>> '));
		assert.match(board.send('print(6 * 7)\r'), /\r\n42\r\n>>> $/);
		board.vm.close();
	});

	test('the same, read through the raw REPL: the exception, framed, and the board still at its prompt', async () => {
		const board = await consoleRig('micropython', fillTheHeap);
		assert.match(board.send('\x01'), /raw REPL; CTRL-B to exit\r\n>$/);
		const answer = board.send("__import__('micropython').mem_info(1)\x04");
		// OK, no output, Ctrl-D, the exception, Ctrl-D, the raw prompt.
		const [ok, error, prompt] = answer.split('\x04');
		assert.deepEqual([ok, prompt], ['OK', '>'], JSON.stringify(answer));
		assert.match(error ?? '', /^MemoryError/);
		assert.match(board.send('\x02'), />>> $/);
		board.vm.close();
	});

	test('its traceback names main.py and the line, as pyexec_file prints it', async () => {
		const board = await consoleRig('micropython', "x = 1\nraise ValueError('from main')\n");
		assert.match(
			board.started,
			/Traceback \(most recent call last\):\r\n {2}File "main\.py", line 2, in <module>\r\nValueError: from main\r\n/,
		);
		// Its globals stay for the REPL, as a board's do.
		assert.match(board.send('print(x)\r'), /\r\n1\r\n>>> $/);
		board.vm.close();
	});

	test('sys.exit() in main.py prints nothing; the REPL comes up', async () => {
		const board = await consoleRig('micropython', "import sys\nprint('before')\nsys.exit()\nprint('after')\n");
		assert.match(board.started, /^before\r\n/);
		assert.doesNotMatch(board.started, /after|Traceback|SystemExit/);
		assert.ok(board.started.endsWith('>>> '));
		board.vm.close();
	});

	test("CircuitPython's code.py: its traceback names code.py", async () => {
		const board = await consoleRig('circuitpython', "raise OSError('from code')\n");
		assert.match(board.started, /File "code\.py", line 1, in <module>\r\nOSError: from code\r\n/);
		assert.match(board.started, /Code done running\./);
		board.vm.close();
	});
});

describe('a virtual board whose VM stops after it started', { timeout: 60_000, skip: socatSkip() }, () => {
	// A stand-in for a VM that cannot go on (a trap it cannot come back from): its thread ends under the board.
	const endTheThread = 'import js\njs.process.exit(3)\n';

	test('says why on `stopped`, instead of a board that falls silent', async () => {
		const board = await startVirtualBoard({ ptyPath: join(dir, 'stops'), mainProgram: endTheThread });
		try {
			assert.match(await board.stopped, /^the MicroPython VM stopped: its thread ended \(exit code 3\)$/);
		} finally {
			await board.close();
		}
	});

	test('heaptop emulate ends with that line (exit 1), and a client sees the port go, not a silent board', async () => {
		const ptyPath = join(dir, 'emulate-stops');
		const lines: string[] = [];
		const running = runEmulate({
			ptyPath,
			heapBytes: 64 * 1024,
			mainProgram: endTheThread,
			log: (line) => lines.push(line),
			until: new Promise<void>(() => undefined),
		});
		await assert.rejects(running, (error: unknown) => {
			assert.ok(error instanceof RuntimeFailure);
			assert.match(error.message, /^the virtual board stopped: the MicroPython VM stopped: its thread ended/);
			return true;
		});
		const source = createBoardSource({ port: ptyPath });
		const opened = await source.open();
		assert.equal(opened.ok, false, 'the port went with the board');
		await source.close();
	});

	test('a board that fills its heap from main.py is still read: heaptop names the full heap in one line', async () => {
		const board = await startVirtualBoard({
			ptyPath: join(dir, 'full'),
			heapBytes: 32 * 1024,
			mainProgram: fillTheHeap,
		});
		const source = createBoardSource({ port: board.path });
		try {
			await source.start();
			const outcome = await source.read({ collect: false });
			assert.equal(outcome.ok, false);
			if (!outcome.ok) {
				assert.equal(outcome.problem.kind, 'memory');
				assert.match(outcome.problem.message, /no room to run even the snapshot command, after a collect too/);
			}
		} finally {
			await source.close();
			await board.close();
		}
	});
});
