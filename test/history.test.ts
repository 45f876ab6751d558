import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAllMemInfo } from '../source/heap/parse.js';
import { createHistory, historyOfRecording, pointOf, usedTrendBytesPerCollect } from '../source/ui/state/history.js';
import { sparkline } from '../source/ui/text/sparkline.js';
import { readMemInfoFixture } from './helpers/fixtures.js';

const [BEFORE, AFTER] = parseAllMemInfo(readMemInfoFixture('qemu-mps2an385-v1.29pre-two-dumps-before-after-gc.txt'));

test('a light reading adds a point and moves the marks, but is no whole reading and no sparkline point', () => {
	const history = createHistory();
	history.pushLight({ atMs: 5, usedBytes: 900, freeBytes: 100 });
	history.pushLight({ atMs: 6, usedBytes: 400, freeBytes: 600 });
	assert.deepEqual(history.points(), [
		{ atMs: 5, afterCollect: false, usedBytes: 900, freeBytes: 100 },
		{ atMs: 6, afterCollect: false, usedBytes: 400, freeBytes: 600 },
	]);
	assert.deepEqual(history.collectPoints(), []);
	assert.deepEqual(history.recent(), []);
	assert.equal(history.marks().peakUsedBytes, 900);
	assert.equal(history.marks().lowestFreeBytes, 100);
});

test('a point keeps the figures of its snapshot, with the largest free run in bytes', () => {
	assert.ok(AFTER?.bytesPerBlock && AFTER.counts?.maxFreeBlocks);
	const point = pointOf(AFTER, 5, true);
	assert.equal(point.usedBytes, AFTER.gc.usedBytes);
	assert.equal(point.largestFreeBlocks, AFTER.counts.maxFreeBlocks);
	assert.equal(point.largestFreeBytes, AFTER.counts.maxFreeBlocks * AFTER.bytesPerBlock);
});

test('only readings after a collect feed the sparklines, and the marks are the session’s extremes', () => {
	assert.ok(BEFORE && AFTER);
	const history = createHistory();
	history.push({ snapshot: BEFORE, atMs: 1, afterCollect: false });
	history.push({ snapshot: AFTER, atMs: 2, afterCollect: true });
	assert.equal(history.points().length, 2);
	assert.deepEqual(
		history.collectPoints().map((point) => point.atMs),
		[2],
	);
	assert.equal(history.marks().peakUsedBytes, Math.max(BEFORE.gc.usedBytes, AFTER.gc.usedBytes));
	assert.equal(history.marks().lowestFreeBytes, Math.min(BEFORE.gc.freeBytes, AFTER.gc.freeBytes));
});

test('over 1,000 readings it keeps every figure up to its bound but the maps of the last few only', () => {
	assert.ok(BEFORE && AFTER);
	const history = createHistory({ keepReadings: 3, maxPoints: 600 });
	for (let index = 0; index < 1000; index++) {
		history.push({ snapshot: index % 2 ? AFTER : BEFORE, atMs: index, afterCollect: index % 2 === 1 });
	}
	assert.equal(history.total, 1000);
	assert.equal(history.points().length, 600);
	assert.equal(history.points()[0]?.atMs, 400);
	assert.equal(history.collectPoints().length, 500);
	assert.deepEqual(
		history.recent().map((reading) => reading.atMs),
		[997, 998, 999],
	);
	// The marks outlive the points they came from.
	assert.equal(history.marks().peakUsedBytes, BEFORE.gc.usedBytes);
});

test('a new reading gives new arrays, so memoised views see the change', () => {
	assert.ok(BEFORE);
	const history = createHistory();
	history.push({ snapshot: BEFORE, atMs: 1, afterCollect: true });
	const points = history.collectPoints();
	history.push({ snapshot: BEFORE, atMs: 2, afterCollect: true });
	assert.notEqual(history.collectPoints(), points);
	assert.equal(points.length, 1);
});

test('the trend of used-after-collect is the climb per collect, and needs three points', () => {
	const point = (usedBytes: number, atMs: number) => ({ atMs, afterCollect: true, usedBytes, freeBytes: 0 });
	assert.equal(usedTrendBytesPerCollect([point(100, 0), point(200, 1)]), undefined);
	assert.equal(usedTrendBytesPerCollect([point(100, 0), point(200, 1), point(300, 2), point(400, 3)]), 100);
	assert.equal(usedTrendBytesPerCollect([point(500, 0), point(500, 1), point(500, 2)]), 0);
	const many = Array.from({ length: 30 }, (_, index) => point(index < 20 ? 0 : (index - 20) * 8, index));
	assert.equal(usedTrendBytesPerCollect(many), 8);
});

test('the history of a recording keeps every point, and places each reading after its last collect', () => {
	assert.ok(BEFORE && AFTER);
	const count = 25_000;
	const points = Array.from({ length: count }, (_, index) =>
		// The first two are plain readings: they come before any collect point.
		pointOf(index % 2 ? AFTER : BEFORE, index, index >= 2 && index % 2 === 0),
	);
	const whole = historyOfRecording(points);
	assert.equal(whole.collectPoints.length, (count - 2) / 2, 'no bound: more than a live session keeps');
	assert.equal(whole.collectPoints[0]?.atMs, 2);
	assert.deepEqual([...whole.pointIndex.slice(0, 6)], [-1, -1, 0, 0, 1, 1]);
	assert.equal(whole.pointIndex[count - 1], whole.collectPoints.length - 1);
	assert.equal(whole.marks.peakUsedBytes, BEFORE.gc.usedBytes);
	assert.equal(whole.marks.lowestFreeBytes, Math.min(BEFORE.gc.freeBytes, AFTER.gc.freeBytes));
});

test('a board reset starts a new segment: no peak, low, trend or diff spans it, and the sparkline shows the break', () => {
	assert.ok(BEFORE && AFTER);
	const history = createHistory();
	// Before the reset: the heap climbs (BEFORE has more used than AFTER); several collects make a trend.
	for (let index = 0; index < 4; index++) history.push({ snapshot: BEFORE, atMs: index, afterCollect: true });
	const peakBefore = history.marks().peakUsedBytes;
	assert.equal(peakBefore, BEFORE.gc.usedBytes);
	history.breakSegment();
	history.push({ snapshot: AFTER, atMs: 10, afterCollect: false });
	assert.equal(history.recent().length, 1, 'the readings before the reset are no diff’s “before”');
	assert.equal(history.points().at(-1)?.segmentStart, true);
	assert.equal(history.marks().peakUsedBytes, AFTER.gc.usedBytes, 'the peak is the new segment’s');
	assert.ok(AFTER.gc.usedBytes < BEFORE.gc.usedBytes);
	for (let index = 0; index < 3; index++) history.push({ snapshot: AFTER, atMs: 11 + index, afterCollect: true });
	const collected = history.collectPoints();
	assert.deepEqual(
		collected.map((point) => point.segmentStart === true),
		[false, false, false, false, true, false, false],
		'the first collect point after the reset carries the break',
	);
	// The fall across the reset is no trend: the new segment is flat.
	assert.equal(usedTrendBytesPerCollect(collected), 0);
	const line = sparkline(
		collected.map((point) => point.usedBytes),
		20,
		['1', '2', '3'],
		false,
		{ starts: collected.map((point) => point.segmentStart === true), glyph: '|' },
	);
	assert.equal(line, '333|111');
	// A first segment has no break to show.
	const fresh = createHistory();
	fresh.breakSegment();
	fresh.push({ snapshot: AFTER, atMs: 1, afterCollect: true });
	assert.equal(fresh.points()[0]?.segmentStart, undefined);
});
