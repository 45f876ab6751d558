import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeSnapshot } from '../source/heap/analyze.js';
import { createEmulatorSource, EmulatorError, listScenarios } from '../source/sources/emulator.js';
import { parseHeapSize, picoHeapBytes } from '../source/sources/heap-size.js';
import type { SourceEvent } from '../source/sources/source.js';

function recorder() {
	const events: SourceEvent[] = [];
	return {
		events,
		listener: (event: SourceEvent) => {
			events.push(event);
		},
		of<T extends SourceEvent['type']>(type: T): Extract<SourceEvent, { type: T }>[] {
			return events.filter((event): event is Extract<SourceEvent, { type: T }> => event.type === type);
		},
	};
}

test('the default board is a Pico-sized heap: GC total 192,064 bytes, as the rp2040 capture prints', async () => {
	const source = createEmulatorSource({ scenario: false });
	await source.start();
	const outcome = await source.read({ collect: true });
	assert.ok(outcome.ok);
	const { reading } = outcome;
	assert.equal(reading.snapshot.gc.totalBytes, 192064);
	assert.equal(reading.afterCollect, true);
	assert.equal(source.describe(), 'emulated MicroPython v1.27.0', 'no size: the screen words it once, as the GC total');
	assert.equal(source.scenario, undefined);
	await source.close();
});

test('reading emits the same reading as an event, stamped by the given clock', async () => {
	const events = recorder();
	const source = createEmulatorSource({ scenario: false, heapBytes: 64 * 1024, clock: () => 1234 });
	source.subscribe(events.listener);
	await source.start();
	const outcome = await source.read({ collect: false });
	assert.ok(outcome.ok);
	assert.deepEqual(events.of('reading').at(-1)?.reading, outcome.reading);
	assert.equal(outcome.reading.atMs, 1234);
	assert.deepEqual(
		events.of('status').map((event) => event.status),
		['connecting', 'live'],
	);
	await source.close();
});

test('program output arrives as output events, and an uncaught MemoryError as its traceback and a problem', async () => {
	const events = recorder();
	const source = createEmulatorSource({ scenario: false, heapBytes: 64 * 1024 });
	source.subscribe(events.listener);
	await source.start();
	const result = await source.exec('print("hello\\x1b[2J board")\nbig = bytearray(100000)\n');
	assert.equal(result.ok, false);
	const outputs = events.of('output');
	assert.deepEqual(outputs[0], { type: 'output', text: 'hello board\n', stream: 'stdout' }, 'escapes removed');
	assert.equal(outputs[1]?.stream, 'stderr');
	assert.match(
		outputs[1]?.text ?? '',
		/^Traceback[\s\S]*MemoryError: memory allocation failed, allocating 100000 bytes\n$/,
	);
	assert.deepEqual(events.of('problem'), [
		{ type: 'problem', message: 'MemoryError: memory allocation failed, allocating 100000 bytes' },
	]);
	await source.close();
});

test('a dump that the program prints itself becomes a reading, and leaves the output', async () => {
	const events = recorder();
	const source = createEmulatorSource({ scenario: false, heapBytes: 64 * 1024 });
	source.subscribe(events.listener);
	await source.start();
	await source.exec(
		'import micropython\nprint("one")\ngarbage = [bytearray(100) for i in range(40)]\nmicropython.mem_info(1)\nprint("two")\n',
	);
	assert.deepEqual(
		events.of('output').map((event) => event.text),
		['one\ntwo\n'],
	);
	const readings = events.of('reading');
	assert.equal(readings.length, 1);
	const metrics = analyzeSnapshot(readings[0]?.reading.snapshot ?? assert.fail('no reading'));
	assert.ok((metrics.kinds.A?.objects ?? 0) >= 40, 'the 40 bytearrays are on the map');
	await source.close();
});

test('collect before a reading frees what the program dropped', async () => {
	const source = createEmulatorSource({ scenario: false, heapBytes: 64 * 1024 });
	await source.start();
	await source.exec('junk = [bytearray(500) for i in range(40)]\n');
	const before = await source.read({ collect: false });
	await source.exec('junk = None\n');
	const after = await source.read({ collect: true });
	assert.ok(before.ok && after.ok);
	assert.ok(before.reading.snapshot.gc.usedBytes - after.reading.snapshot.gc.usedBytes >= 40 * 500);
	await source.close();
});

test('a scenario starts with its first step run, steps with next, and starts over after the last', async () => {
	const events = recorder();
	const source = createEmulatorSource({ scenario: 'slow-leak' });
	source.subscribe(events.listener);
	const controls = source.scenario ?? assert.fail('no scenario controls');
	assert.equal(controls.current().step, 0);
	assert.equal(controls.current().caption, listScenarios().find((s) => s.name === 'slow-leak')?.summary);
	await source.start();
	const { steps } = controls.current();
	assert.equal(controls.current().step, 1);
	for (let step = 2; step <= steps; step++) {
		await controls.next();
		assert.equal(controls.current().step, step);
	}
	await controls.next();
	assert.equal(controls.current().step, 1, 'started over');
	assert.equal(events.of('reading').length, steps + 1, 'one reading per step');
	await source.close();
});

test('choose switches scenario and runs its first step; an unknown name is refused in one line', async () => {
	const source = createEmulatorSource();
	await source.start();
	const controls = source.scenario ?? assert.fail('no scenario controls');
	assert.equal(controls.current().scenario, 'fragmentation', 'the first scenario is the default');
	assert.deepEqual(
		controls.list().map((entry) => entry.name),
		listScenarios().map((entry) => entry.name),
	);
	await controls.choose(3);
	assert.equal(controls.current().scenario, controls.list()[3]?.name);
	assert.equal(controls.current().step, 1);
	await source.close();
	assert.throws(() => createEmulatorSource({ scenario: 'no-such-thing' }), EmulatorError);
});

test('close is safe twice, and reading after close reports a problem instead of throwing', async () => {
	const events = recorder();
	const source = createEmulatorSource({ scenario: false, heapBytes: 32 * 1024 });
	await source.start();
	await source.close();
	await source.close();
	source.subscribe(events.listener);
	const outcome = await source.read({ collect: false });
	assert.equal(outcome.ok, false);
	assert.equal(outcome.ok ? undefined : outcome.problem.kind, 'closed');
	assert.equal(events.of('problem').length, 1);
});

test('heap sizes parse as the command line writes them', () => {
	assert.deepEqual(parseHeapSize('192k'), { ok: true, bytes: picoHeapBytes });
	assert.deepEqual(parseHeapSize('65536'), { ok: true, bytes: 65536 });
	assert.deepEqual(parseHeapSize('1m'), { ok: true, bytes: 1024 * 1024 });
	assert.deepEqual(parseHeapSize('1.5M'), { ok: true, bytes: 1536 * 1024 });
	assert.deepEqual(parseHeapSize('64KiB'), { ok: true, bytes: 65536 });
	for (const bad of ['', 'lots', '12q', '-5k', '1k', '1g']) {
		const result = parseHeapSize(bad);
		assert.equal(result.ok, false, bad);
		if (!result.ok) assert.doesNotMatch(result.message, /\n/);
	}
});
