import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createReplaySource } from '../source/sources/replay.js';
import { withSingleStart } from '../source/sources/start-once.js';

test('start runs once however often it is called, and the rest of the source is untouched', async () => {
	const source = createReplaySource('no-such-recording.jsonl');
	let statuses = 0;
	const wrapped = withSingleStart(source);
	wrapped.subscribe((event) => {
		if (event.type === 'status') statuses++;
	});
	await wrapped.start();
	const afterFirst = statuses;
	await wrapped.start();
	assert.ok(afterFirst > 0);
	assert.equal(statuses, afterFirst, 'the second start did nothing');
	assert.equal(wrapped.describe(), source.describe());
	assert.equal(wrapped.canRead, false);
});

test('a late subscriber hears the latest status at once', async () => {
	const wrapped = withSingleStart(createReplaySource('no-such-recording.jsonl'));
	await wrapped.start();
	const heard: string[] = [];
	wrapped.subscribe((event) => {
		if (event.type === 'status') heard.push(event.status);
	});
	assert.deepEqual(heard, ['error']);
});
