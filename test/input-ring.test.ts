import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createInputRing, inputRingReader, inputRingWriter, positionsApart } from '../source/sources/input-ring.js';

test('bytes written come out in order, across the end of the ring, and a write that does not fit waits', () => {
	const memory = createInputRing(1024);
	const writer = inputRingWriter(memory);
	const reader = inputRingReader(memory);
	const first = new Uint8Array(1000).map((_, i) => i & 0xff);
	assert.equal(writer.write(first), 0);
	assert.equal(writer.write(new Uint8Array(100)), undefined, 'no room for 100 more in 1024');
	assert.deepEqual(reader.take(900), first.subarray(0, 900));
	const second = new Uint8Array(200).map((_, i) => 255 - (i & 0xff));
	assert.equal(writer.write(second), 1000);
	assert.equal(reader.available(), 300);
	assert.equal(reader.peek(100), second[0]);
	assert.deepEqual(reader.take(1000), new Uint8Array([...first.subarray(900), ...second]));
	assert.equal(reader.available(), 0);
});

test('skipTo drops bytes up to a position, never past what was written, and never backwards', () => {
	const memory = createInputRing(1024);
	const writer = inputRingWriter(memory);
	const reader = inputRingReader(memory);
	writer.write(new Uint8Array([1, 2, 3, 4, 5]));
	reader.skipTo(2);
	assert.equal(reader.position, 2);
	reader.skipTo(1);
	assert.equal(reader.position, 2);
	reader.skipTo(50);
	assert.equal(reader.position, 5);
	assert.equal(reader.available(), 0);
});

test('wait returns at once when bytes wait, and false after its timeout when none come', () => {
	const memory = createInputRing(1024);
	const reader = inputRingReader(memory);
	assert.equal(reader.wait(0), false);
	assert.equal(reader.wait(5), false);
	inputRingWriter(memory).write(new Uint8Array([7]));
	assert.equal(reader.wait(-1), true);
});

test('positions that wrap past 2^31 still compare', () => {
	assert.equal(positionsApart(-2147483648, 2147483647), 1);
	assert.equal(positionsApart(5, 3), 2);
});
