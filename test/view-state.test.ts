import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
	formatInterval,
	INTERVAL_STEPS_MS,
	initialViewState,
	scrollView,
	stepInterval,
} from '../source/ui/state/view-state.js';

test('the interval starts at the nearest step: off for a board, 1 s for the demo', () => {
	assert.equal(initialViewState(0).intervalMs, 0);
	assert.equal(initialViewState(1000).intervalMs, 1000);
	assert.equal(initialViewState(1200).intervalMs, 1000);
});

test('+ and - walk the steps off, 0.5, 1, 2, 5 s and stop at either end', () => {
	let interval = 0;
	const walked: number[] = [];
	for (let index = 0; index < 6; index++) {
		interval = stepInterval(interval, 1);
		walked.push(interval);
	}
	assert.deepEqual(walked, [...INTERVAL_STEPS_MS.slice(1), 5000, 5000].slice(0, 6));
	assert.equal(stepInterval(0, -1), 0);
	assert.deepEqual(INTERVAL_STEPS_MS.map(formatInterval), ['off', '0.5 s', '1 s', '2 s', '5 s']);
});

test('scrolling by line, page and to the ends stays inside the map', () => {
	assert.equal(scrollView(0, { by: 'line', delta: 1 }, 100, 10), 1);
	assert.equal(scrollView(0, { by: 'page', delta: 1 }, 100, 10), 9);
	assert.equal(scrollView(5, { by: 'page', delta: -1 }, 100, 10), 0);
	assert.equal(scrollView(5, { to: 'end' }, 100, 10), 90);
	assert.equal(scrollView(50, { to: 'home' }, 100, 10), 0);
	assert.equal(scrollView(0, { by: 'line', delta: 1 }, 5, 10), 0);
});
