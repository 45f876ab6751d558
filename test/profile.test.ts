import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createEmulatorTarget } from '../source/measure/emulator-target.js';
import { profileScript } from '../source/measure/profile.js';

let target: Awaited<ReturnType<typeof createEmulatorTarget>>;
before(async () => {
	// The WebAssembly port collects only between top-level calls, never inside one, so the heap must hold
	// all the garbage of the loop below: 20 buffers of up to 10 kB.
	target = await createEmulatorTarget(320 * 1024);
});
after(() => target.close());

test('each statement is charged what it keeps, and garbage is told apart', async () => {
	// Sizes picked at run time, so that no figure below is written into the test.
	const small = 1000 + Math.floor(Math.random() * 3000);
	const large = 6000 + Math.floor(Math.random() * 4000);
	const script = [
		// Made first, so that the globals dict does not grow (and charge its growth) in the statements measured.
		'import gc\nkeep = tmp = i = None',
		`keep = bytearray(${small})`,
		`for i in range(20):\n    tmp = bytearray(${large})`,
		'keep = None',
	].join('\n');
	const costs = await profileScript(target, script);
	assert.deepEqual(
		costs.map((cost) => cost.line),
		[1, 2, 3, 4, 6],
	);
	const [, , keep, loop, drop] = costs;
	assert.ok(keep && loop && drop);
	// A bytearray is its object plus its buffer, each rounded up to whole 16-byte blocks.
	assert.ok(keep.retainedBytes >= small && keep.retainedBytes < small + 64, `kept ${keep.retainedBytes} for ${small}`);
	// The loop keeps only its last buffer; the other 19 are garbage.
	assert.ok(loop.retainedBytes >= large && loop.retainedBytes < large + 64, `loop kept ${loop.retainedBytes}`);
	assert.ok(loop.garbageBytes >= 19 * large, `loop garbage ${loop.garbageBytes}`);
	assert.ok(drop.retainedBytes <= -small, `dropping gave back ${-drop.retainedBytes}`);
	assert.equal(
		costs.some((cost) => cost.failure),
		false,
	);
});

test('a MemoryError stops the run, says where, and shows the largest free run at that moment', async () => {
	// Small buffers kept between freed ones: plenty free in total, no run long enough for the big one.
	const script = [
		'chunks = []',
		'for i in range(100):\n    chunks.append(bytearray(1500))\n    chunks.append(bytearray(600))',
		'for i in range(0, len(chunks), 2):\n    chunks[i] = None',
		'big = bytearray(100000)',
		'after = 1',
	].join('\n');
	const costs = await profileScript(target, script);
	const failed = costs.at(-1);
	assert.ok(failed?.failure, 'the run ended on a failure');
	assert.equal(failed.firstLine, 'big = bytearray(100000)');
	assert.equal(failed.failure.type, 'MemoryError');
	assert.match(failed.failure.traceback, /MemoryError/);
	const largest = failed.failure.largestFreeBytes ?? Number.POSITIVE_INFINITY;
	assert.ok(largest < 100000, `largest free run ${largest} B is too short for the 100,000 B buffer`);
	assert.ok(failed.failure.freeBytes > 100000, `yet ${failed.failure.freeBytes} B are free in total`);
	assert.ok(!costs.some((cost) => cost.firstLine === 'after = 1'), 'nothing runs after the failure');
});
