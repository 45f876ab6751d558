import assert from 'node:assert/strict';
import { test } from 'node:test';
import { glyphsFor } from '../source/ui/text/glyphs.js';
import { columnOf, fitSeries, sparkline } from '../source/ui/text/sparkline.js';

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

test('a series that fits is kept as it is, and each value has its own column', () => {
	assert.deepEqual(fitSeries([3, 1, 2], 5, 'max'), [3, 1, 2]);
	assert.equal(columnOf(2, 3, 5), 2);
});

test('a long series is squeezed into the width, every value in a column, the worst one kept', () => {
	const values = Array.from({ length: 1000 }, (_, index) => (index === 777 ? 5000 : index % 10));
	const fitted = fitSeries(values, 40, 'max');
	assert.equal(fitted.length, 40);
	// The one spike survives in the column its index falls in.
	assert.equal(fitted[columnOf(777, values.length, 40)], 5000);
	assert.equal(fitted.filter((value) => value === 5000).length, 1);
	assert.equal(Math.min(...fitSeries(values, 40, 'min')), 0);
	assert.equal(columnOf(0, values.length, 40), 0);
	assert.equal(columnOf(values.length - 1, values.length, 40), 39);
	// Columns go up with the index and none is skipped.
	const columns = values.map((_, index) => columnOf(index, values.length, 40));
	for (let index = 1; index < columns.length; index++) {
		const step = (columns[index] ?? 0) - (columns[index - 1] ?? 0);
		assert.ok(step === 0 || step === 1, `step at ${index}`);
	}
});
