import assert from 'node:assert/strict';
import { test } from 'node:test';
import { failedAllocationBytes } from '../source/heap/memory-error.js';

test("the size of a failed allocation is read from MicroPython's MemoryError line, the last one when there are several", () => {
	const traceback =
		'Traceback (most recent call last):\r\n  File "<stdin>", line 10, in <module>\r\nMemoryError: memory allocation failed, allocating 100000 bytes\r\n';
	assert.equal(failedAllocationBytes(traceback), 100_000);
	assert.equal(
		failedAllocationBytes(
			'MemoryError: memory allocation failed, allocating 16 bytes\nMemoryError: memory allocation failed, allocating 10240 bytes',
		),
		10_240,
	);
});

test('a MemoryError without a size gives none', () => {
	assert.equal(failedAllocationBytes('MemoryError: memory allocation failed, heap is locked'), undefined);
	assert.equal(failedAllocationBytes('MemoryError: \n'), undefined);
	assert.equal(failedAllocationBytes('ValueError: allocating 5 bytes'), undefined);
});
