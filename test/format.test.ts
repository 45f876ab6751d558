import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatBlocks, formatBytes, formatCount, formatPercent } from '../source/present/format.js';

test('counts are grouped by thousands exactly as en-US does', () => {
	for (const value of [0, 7, 999, 1000, 12345, 187168, 1234567, 134217728, -4096]) {
		assert.equal(formatCount(value), value.toLocaleString('en-US'));
	}
});

test('every figure carries its unit', () => {
	assert.equal(formatBytes(187168), '187,168 B');
	assert.equal(formatBlocks(11650, 16), '11,650 blocks (186,400 B)');
	assert.equal(formatBlocks(1, undefined), '1 block');
	assert.equal(formatPercent(0.0041), '0.4 %');
});

test('a figure that is no number is unknown, never grouped as digits', () => {
	assert.equal(formatCount(Number.POSITIVE_INFINITY), 'unknown');
	assert.equal(formatCount(Number.NaN), 'unknown');
	assert.equal(formatBytes(Number.NEGATIVE_INFINITY), 'unknown');
	assert.equal(formatPercent(368 / 0), 'unknown %');
	assert.equal(formatPercent(0 / 0), 'unknown %');
});
