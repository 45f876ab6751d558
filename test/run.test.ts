import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runScript } from '../source/commands/run.js';
import { analyzeSnapshot } from '../source/heap/analyze.js';

test('a script that ends gives its output, exit code 0, and the heap it left', async () => {
	const chunks: string[] = [];
	const result = await runScript({
		code: 'keep = bytearray(5000)\nprint("done")\n',
		heapBytes: 64 * 1024,
		onOutput: (text) => chunks.push(text),
	});
	assert.deepEqual(result.outcome, { kind: 'finished' });
	assert.equal(result.exitCode, 0);
	assert.equal(chunks.join(''), 'done\n');
	assert.equal(result.snapshot?.gc.totalBytes, 64000);
	assert.ok((result.snapshot?.gc.usedBytes ?? 0) > 5000, 'the bytearray is still held');
});

test('an uncaught MemoryError gives its traceback under the script name, exit 1, and the heap then', async () => {
	const result = await runScript({
		code: 'keep = []\nwhile True:\n    keep.append(bytearray(2000))\n',
		scriptName: 'fill.py',
		heapBytes: 64 * 1024,
	});
	assert.equal(result.exitCode, 1);
	assert.equal(result.outcome.kind, 'raised');
	if (result.outcome.kind !== 'raised') return;
	assert.equal(result.outcome.exception.type, 'MemoryError');
	assert.match(result.outcome.exception.traceback, /File "fill\.py", line 3, in <module>/);
	assert.match(result.outcome.exception.traceback, /MemoryError: memory allocation failed, allocating 2000 bytes\n$/);
	const metrics = analyzeSnapshot(result.snapshot ?? assert.fail('no heap'));
	// The list is global, so its buffers are still there: the heap is full of them.
	assert.ok(metrics.usedFraction > 0.9, `used ${metrics.usedFraction}`);
	assert.ok((metrics.largestAllocatableBytes ?? 0) < 2000);
	assert.match(result.note ?? '', /cannot collect garbage while a script runs/);
});

test('a script that never ends is stopped by the timeout with KeyboardInterrupt, and the heap is still read', async () => {
	const result = await runScript({
		code: 'n = 0\nwhile True:\n    n = n + 1\n',
		timeoutMs: 200,
		// The grace is how long the VM may take to see the interrupt; a loaded machine must not turn a seen
		// interrupt into a killed thread, so it is long here (it ends as soon as the interrupt is seen).
		graceMs: 30_000,
	});
	assert.equal(result.stoppedBy, 'timeout');
	assert.equal(result.exitCode, 1);
	assert.equal(result.outcome.kind === 'raised' && result.outcome.exception.type, 'KeyboardInterrupt');
	assert.ok(result.snapshot);
});

test('aborting stops the script as Ctrl-C would', async () => {
	const controller = new AbortController();
	const chunks: string[] = [];
	const result = await runScript({
		code: 'import time\nprint("started")\nwhile True:\n    time.sleep_ms(5)\n',
		signal: controller.signal,
		graceMs: 30_000,
		onOutput: (text) => {
			chunks.push(text);
			controller.abort();
		},
	});
	assert.equal(result.stoppedBy, 'interrupt');
	assert.equal(result.outcome.kind === 'raised' && result.outcome.exception.type, 'KeyboardInterrupt');
});

test('a loop that calls nothing (while True: pass) is stopped by the timeout too, with its heap read', async () => {
	const result = await runScript({
		code: 'x = bytearray(3000)\nwhile True:\n    pass\n',
		timeoutMs: 100,
		graceMs: 30_000,
	});
	assert.equal(result.outcome.kind === 'raised' && result.outcome.exception.type, 'KeyboardInterrupt');
	assert.ok((result.snapshot?.gc.usedBytes ?? 0) > 3000);
});

test('a script that catches the interrupt and goes on is killed after the grace period', async () => {
	const code =
		'while True:\n    try:\n        while True:\n            pass\n    except KeyboardInterrupt:\n        pass\n';
	const result = await runScript({ code, timeoutMs: 100, graceMs: 500 });
	assert.deepEqual(result.outcome, { kind: 'killed' });
	assert.equal(result.snapshot, undefined);
	assert.equal(result.exitCode, 1);
});

test('sys.exit status decides the exit code; dumps the script prints are returned as snapshots', async () => {
	const zero = await runScript({ code: 'import sys\nsys.exit(0)\n' });
	assert.equal(zero.exitCode, 0);
	const three = await runScript({ code: 'import sys\nsys.exit(3)\n' });
	assert.equal(three.exitCode, 1);
	const dumps = await runScript({
		code: 'import micropython\nmicropython.mem_info(1)\nx = bytearray(8000)\nmicropython.mem_info(1)\n',
	});
	assert.equal(dumps.printedSnapshots.length, 2);
	const [first, second] = dumps.printedSnapshots;
	assert.ok((second?.gc.usedBytes ?? 0) - (first?.gc.usedBytes ?? 0) >= 8000);
});
