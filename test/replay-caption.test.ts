import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAllMemInfo } from '../source/heap/parse.js';
import type { Reading } from '../source/sources/source.js';
import { formatClock, formatDate, formatElapsed, replayCaption } from '../source/ui/text/replay-caption.js';
import { readMemInfoFixture } from './helpers/fixtures.js';

const [snapshot] = parseAllMemInfo(readMemInfoFixture('qemu-mps2an385-v1.29pre-fresh.txt'));

test('the clock and the date are the local ones, to the millisecond', () => {
	const atMs = Date.now() - Math.floor(Math.random() * 1e10);
	const date = new Date(atMs);
	const [clock, millis] = formatClock(atMs).split('.');
	assert.deepEqual(clock?.split(':').map(Number), [date.getHours(), date.getMinutes(), date.getSeconds()]);
	assert.equal(Number(millis), date.getMilliseconds());
	assert.equal(millis?.length, 3);
	assert.deepEqual(formatDate(atMs).split('-').map(Number), [date.getFullYear(), date.getMonth() + 1, date.getDate()]);
});

test('the time since the first reading keeps a short unit', () => {
	assert.equal(formatElapsed(0), '+0.0 s');
	assert.equal(formatElapsed(4_340), '+4.3 s');
	assert.equal(formatElapsed(42_000), '+42 s');
	assert.equal(formatElapsed(600_000), '+10 min');
	assert.equal(formatElapsed(9_000_000), '+2.5 h');
});

test('the caption says which reading of how many, when, after what, and whether it plays', () => {
	assert.ok(snapshot);
	const first: Reading = { snapshot, atMs: 1_000_000, afterCollect: true };
	const reading: Reading = { snapshot, atMs: 1_004_300, afterCollect: true };
	const caption = replayCaption({ index: 11, count: 40, reading, first, playing: true, speed: '10×' });
	assert.equal(caption, `reading 12 of 40 · ${formatClock(reading.atMs)} (+4.3 s) · after collect · playing at 10×`);
	const end = replayCaption({
		index: 39,
		count: 40,
		reading: { ...reading, afterCollect: false, incomplete: true },
		first,
		playing: false,
		speed: '10×',
	});
	assert.match(end, /^reading 40 of 40 · .* · no collect before · damaged dump · the end$/);
	assert.match(replayCaption({ index: 3, count: 40, reading, first, playing: false, speed: '10×' }), / · paused$/);
});

test('a time that is no date (1e300, NaN) is said to be unknown, never NaN-NaN-NaN', () => {
	for (const atMs of [1e300, Number.NaN, -Infinity]) {
		assert.equal(formatDate(atMs), 'unknown date');
		assert.equal(formatClock(atMs), 'unknown time');
		assert.equal(formatElapsed(atMs - 0), '+?');
	}
});
