import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { createBoardSource } from '../source/sources/board.js';
import { startVirtualBoard } from '../source/sources/virtual-board.js';
import { consoleRig } from './helpers/console-rig.js';

const dir = mkdtempSync(join(tmpdir(), 'heaptop-flavours-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('heaptop emulate --circuitpython', { timeout: 60_000 }, () => {
	test("runs code.py at start, then waits for a key; the key is taken, and the REPL has CircuitPython's banner", async () => {
		const board = await consoleRig('circuitpython', 'print("from code.py")\n');
		assert.match(board.started, /code\.py output:\r\nfrom code\.py\r\n\r\nCode done running\.\r\n/);
		assert.ok(board.started.endsWith('Press any key to enter the REPL. Use CTRL-D to reload.\r\n'));
		// Not a prompt: the first byte only wakes the REPL.
		const woken = board.send('x');
		assert.equal(woken, '\r\nAdafruit CircuitPython 9.2.1 on 2024-11-20; Raspberry Pi Pico with rp2040\r\n>>> ');
		board.vm.close();
	});

	test('Ctrl-D while waiting reloads: code.py runs again', async () => {
		const board = await consoleRig('circuitpython', 'print("again")\n');
		const reloaded = board.send('\x04');
		assert.match(reloaded, /^soft reboot\r\n.*code\.py output:\r\nagain\r\n.*Press any key/s);
		board.vm.close();
	});

	test('no micropython.mem_info or stack_use, as on every CircuitPython since 4.0; sys says circuitpython', async () => {
		const board = await consoleRig('circuitpython');
		board.send('\r');
		const missing = board.send('import micropython, sys; micropython.mem_info()\r');
		assert.match(
			missing,
			/\r\nTraceback \(most recent call last\):\r\n {2}File "<stdin>", line 1, in <module>\r\nAttributeError: 'module' object has no attribute 'mem_info'\r\n>>> $/,
		);
		assert.match(board.send('hasattr(micropython, "stack_use"), micropython.const(3)\r'), /\(False, 3\)/);
		assert.match(
			board.send('sys.implementation.name, sys.implementation.version[:3]\r'),
			/\('circuitpython', \(9, 2, 1\)\)/,
		);
		board.vm.close();
	});

	test('a new VM at each switch of REPL mode: globals set at the friendly prompt are gone in the raw REPL', async () => {
		const board = await consoleRig('circuitpython');
		board.send('\r');
		board.send('kept = 5\r');
		assert.match(board.send('\x01'), /raw REPL; CTRL-B to exit\r\n>$/);
		const raw = board.send("print('kept' in globals())\x04");
		assert.equal(raw, 'OKFalse\r\n\x04\x04>');
		board.vm.close();
	});

	test('the heap grows: gc.mem_free() counts the room left to grow, and the total changes between readings', async () => {
		const board = await consoleRig('circuitpython');
		board.send('\r');
		board.send('import gc\r');
		const figures = (text: string) => {
			const match = /\((\d+), (\d+)\)/.exec(text);
			assert.ok(match, text);
			return { free: Number(match[1]), alloc: Number(match[2]) };
		};
		const before = figures(board.send('gc.collect(); gc.mem_free(), gc.mem_alloc()\r'));
		assert.ok(before.free > 128 * 1024, 'free includes the 128 KiB the heap can still grow by');
		board.send('big = [bytearray(1000) for i in range(60)]\r');
		const grown = figures(board.send('gc.mem_free(), gc.mem_alloc()\r'));
		assert.ok(grown.alloc > 60_000);
		assert.notEqual(grown.free + grown.alloc, before.free + before.alloc, 'the total moved');
		const dump = board.vm.memInfo();
		assert.ok((dump.match(/GC memory layout; from /g) ?? []).length >= 2, 'a second heap area');
		board.vm.close();
	});

	test('over a pty, heaptop reads the fallback figures and probes the largest block', { timeout: 30_000 }, async () => {
		const board = await startVirtualBoard({ ptyPath: join(dir, 'cp'), heapBytes: 32 * 1024, flavour: 'circuitpython' });
		const source = createBoardSource({ port: board.path });
		try {
			await source.start();
			const outcome = await source.read({ collect: true });
			assert.ok(outcome.ok, JSON.stringify(outcome));
			const { reading } = outcome;
			assert.equal(reading.snapshot.areas.length, 0, 'no block map');
			assert.ok(reading.snapshot.gc.usedBytes > 0);
			assert.match(reading.snapshot.warnings.join('\n'), /no micropython\.mem_info/);
			const largest = await source.probeLargestBlock();
			assert.ok(largest !== undefined && largest > 16 * 1024, `probe found ${largest}`);
		} finally {
			await source.close();
			await board.close();
		}
	});
});

describe('heaptop emulate --no-mem-info', { timeout: 60_000 }, () => {
	test("MicroPython's banner, but no mem_info or stack_use, as a minimal build", async () => {
		const board = await consoleRig('no-mem-info');
		assert.match(board.started, /^MicroPython v1\.27\.0/);
		assert.match(
			board.send('import micropython; micropython.mem_info()\r'),
			/AttributeError: 'module' object has no attribute 'mem_info'/,
		);
		assert.match(board.send('hasattr(micropython, "stack_use")\r'), /False/);
		// A soft reset keeps the build as it is.
		assert.match(board.send('\x04'), /MPY: soft reboot\r\nMicroPython v1\.27\.0/);
		assert.match(board.send('import micropython; hasattr(micropython, "mem_info")\r'), /False/);
		board.vm.close();
	});
});
