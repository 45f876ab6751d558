import assert from 'node:assert/strict';
import { test } from 'node:test';
import { glyphsFor } from '../source/ui/glyphs.js';
import { sparkline } from '../source/ui/sparkline.js';

const levels = glyphsFor(false).spark;

test('the lowest value takes the lowest level and the highest the highest', () => {
	const line = sparkline([5, 1, 9, 3], 10, levels);
	assert.equal(line.length, 4);
	assert.equal(line[1], levels[0]);
	assert.equal(line[2], levels[levels.length - 1]);
});

test('only the last `width` values are drawn', () => {
	const values = Array.from({ length: 50 }, (_, index) => index);
	assert.equal(sparkline(values, 8, levels), sparkline(values.slice(-8), 8, levels));
	assert.equal(sparkline(values, 8, levels).length, 8);
});

test('a flat series sits in the middle, and nothing to draw gives nothing', () => {
	const line = sparkline([7, 7, 7], 5, levels);
	assert.equal(new Set(line).size, 1);
	assert.notEqual(line[0], levels[0]);
	assert.equal(sparkline([], 5, levels), '');
	assert.equal(sparkline([1, 2], 0, levels), '');
});

test('from zero, a small change stays small', () => {
	const line = sparkline([100, 101], 2, levels, true);
	assert.equal(line[0], line[1]);
});
