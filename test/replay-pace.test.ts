import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
	DEFAULT_PLAY_SPEED,
	MAX_PLAY_WAIT_MS,
	MIN_PLAY_WAIT_MS,
	PLAY_SPEEDS,
	playWaitMs,
	stepPlaySpeed,
} from '../source/ui/replay-pace.js';

test('a recorded gap plays sped up, between the shortest and the longest wait', () => {
	assert.equal(playWaitMs(0, 1000, 10), 100);
	assert.equal(playWaitMs(0, 1000, 1), 1000);
	assert.equal(
		playWaitMs(0, 3_600_000, 10),
		MAX_PLAY_WAIT_MS,
		'an hour between two readings plays as the longest wait',
	);
	assert.equal(playWaitMs(5, 5, 10), MIN_PLAY_WAIT_MS, 'readings of the same instant');
	assert.equal(playWaitMs(10_000, 0, 10), MIN_PLAY_WAIT_MS, 'a clock that stepped back');
	assert.equal(playWaitMs(0, 1000, 0), MAX_PLAY_WAIT_MS);
});

test('+ and - walk the speeds and stop at either end', () => {
	assert.ok(PLAY_SPEEDS.includes(DEFAULT_PLAY_SPEED));
	let speed = PLAY_SPEEDS[0] ?? 1;
	const walked = [speed];
	for (let index = 0; index < PLAY_SPEEDS.length; index++) {
		speed = stepPlaySpeed(speed, 1);
		walked.push(speed);
	}
	assert.deepEqual(walked, [...PLAY_SPEEDS, PLAY_SPEEDS.at(-1)]);
	assert.equal(stepPlaySpeed(PLAY_SPEEDS[0] ?? 1, -1), PLAY_SPEEDS[0]);
});
