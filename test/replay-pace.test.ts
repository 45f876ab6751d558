import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
	DEFAULT_PLAY_SPEED,
	MAX_PLAY_WAIT_MS,
	MIN_PLAY_WAIT_MS,
	nextPlayStep,
	PLAY_SPEEDS,
	playWaitMs,
	stepPlaySpeed,
} from '../source/ui/state/replay-pace.js';

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

test('playing shows each reading when they are far enough apart, and passes over those closer than the shortest wait', () => {
	const second = [0, 1000, 2000, 3000].map((atMs) => ({ atMs }));
	assert.deepEqual(nextPlayStep(second, 0, 10), { index: 1, waitMs: 100 });
	assert.deepEqual(nextPlayStep(second, 2, 10), { index: 3, waitMs: 100 });
	assert.equal(nextPlayStep(second, 3, 10), undefined, 'nothing after the last');
	// A collect and a plain reading 1 ms apart, every 100 ms: at 10x, about five readings to a wait.
	const dense = Array.from({ length: 200 }, (_, index) => ({ atMs: Math.floor(index / 2) * 100 + (index % 2) }));
	const step = nextPlayStep(dense, 0, 10);
	assert.ok(step && step.index > 1 && step.waitMs >= MIN_PLAY_WAIT_MS, JSON.stringify(step));
	assert.ok((dense[step.index]?.atMs ?? 0) / 10 >= MIN_PLAY_WAIT_MS);
	assert.ok((dense[step.index - 1]?.atMs ?? 0) / 10 < MIN_PLAY_WAIT_MS, 'no further than needed');
	const faster = nextPlayStep(dense, 0, 100);
	assert.ok(faster && faster.index > step.index * 5, '100x moves ten times as far as 10x');
	// The last reading is always shown, however close.
	assert.deepEqual(nextPlayStep([{ atMs: 0 }, { atMs: 1 }, { atMs: 2 }], 0, 10), {
		index: 2,
		waitMs: MIN_PLAY_WAIT_MS,
	});
	// A clock that stepped back counts as no time passed, not as a debt that skips the rest.
	const stepped = [{ atMs: 100_000 }, { atMs: 0 }, { atMs: 1000 }, { atMs: 2000 }];
	assert.deepEqual(nextPlayStep(stepped, 0, 10), { index: 2, waitMs: 100 });
});
