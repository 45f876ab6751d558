import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maxDurationMs, parseDuration } from '../source/commands/parse-duration.js';

test('durations read as people write them, and a bare number is seconds', () => {
	assert.deepEqual(parseDuration('1s', '--interval'), { ok: true, ms: 1000 });
	assert.deepEqual(parseDuration('500ms', '--interval'), { ok: true, ms: 500 });
	assert.deepEqual(parseDuration('0.5', '--interval'), { ok: true, ms: 500 });
	assert.deepEqual(parseDuration('2m', '--timeout'), { ok: true, ms: 120_000 });
	assert.deepEqual(parseDuration('0', '--interval'), { ok: true, ms: 0 });
});

test('anything else is refused with a message naming the flag and what it takes', () => {
	for (const [text, shown] of [
		['soon', '"soon"'],
		['-1s', '"-1s"'],
		['', 'an empty value'],
		['1h', '"1h"'],
	]) {
		const result = parseDuration(text ?? '', '--timeout');
		assert.equal(result.ok, false);
		assert.equal(result.ok ? '' : result.message, `--timeout takes a duration like 1s, 500ms or 2m, not ${shown}`);
	}
});

test("a duration past what Node's timers hold is refused rather than firing after 1 ms", () => {
	assert.deepEqual(parseDuration(`${maxDurationMs}ms`, '--interval'), { ok: true, ms: maxDurationMs });
	for (const text of [`${maxDurationMs + 1}ms`, '99999999999s', '1e3']) {
		const result = parseDuration(text, '--interval');
		assert.equal(result.ok, false, text);
	}
});
