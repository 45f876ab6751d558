import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDuration } from '../source/commands/parse-duration.js';

test('durations read as people write them, and a bare number is seconds', () => {
	assert.deepEqual(parseDuration('1s', '--interval'), { ok: true, ms: 1000 });
	assert.deepEqual(parseDuration('500ms', '--interval'), { ok: true, ms: 500 });
	assert.deepEqual(parseDuration('0.5', '--interval'), { ok: true, ms: 500 });
	assert.deepEqual(parseDuration('2m', '--timeout'), { ok: true, ms: 120_000 });
});

test('anything else is refused with a message naming the flag', () => {
	const result = parseDuration('soon', '--timeout');
	assert.equal(result.ok, false);
	assert.match(result.ok ? '' : result.message, /^--timeout "soon" is not a duration/);
});
