import { type HistoryPoint, pointOf } from '../../heap/analyze.js';
import type { LightReading, Reading } from '../../sources/source.js';

export { type HistoryPoint, pointOf };

/**
 * The session's history: a few figures for every reading, and whole snapshots (block maps, raw text) only
 * for the last few, so that memory stays bounded however long heaptop runs and however big the heap is.
 */

/** The extremes of the whole session, kept even after old points are dropped. */
export type LowWaterMarks = {
	/** Highest `used` seen, which is the low-water mark of free memory. */
	peakUsedBytes?: number;
	lowestFreeBytes?: number;
	lowestLargestFreeBlocks?: number;
	lowestLargestFreeBytes?: number;
};

/** A bounded history; `push` adds a reading and drops what no longer needs keeping. */
export type History = {
	push(reading: Reading): void;
	/** Adds a light reading's figures (no map, no collect): a point and the marks, no whole reading. */
	pushLight(light: LightReading): void;
	/** Every kept point, oldest first (a copy is made only when something was added). */
	points(): readonly HistoryPoint[];
	/** Points of readings taken just after a collect: the sparklines' series. */
	collectPoints(): readonly HistoryPoint[];
	/** The last readings with their maps, newest last. */
	recent(): readonly Reading[];
	marks(): LowWaterMarks;
	/**
	 * The board was reset: the next reading starts a new segment. Its point is marked `segmentStart`, the
	 * marks start again from it, and the readings before it are no diff's "before".
	 */
	breakSegment(): void;
	/** Readings pushed since the start, including those whose points were dropped. */
	readonly total: number;
};

/** Options: how many points and how many whole readings to keep. */
export type HistoryOptions = { maxPoints?: number; keepReadings?: number };

const lower = (current: number | undefined, value: number | undefined): number | undefined =>
	value === undefined ? current : current === undefined ? value : Math.min(current, value);

/** The marks with one more point taken into account. */
function markPoint(marks: LowWaterMarks, point: HistoryPoint): LowWaterMarks {
	return {
		peakUsedBytes: Math.max(marks.peakUsedBytes ?? 0, point.usedBytes),
		lowestFreeBytes: lower(marks.lowestFreeBytes, point.freeBytes),
		lowestLargestFreeBlocks: lower(marks.lowestLargestFreeBlocks, point.largestFreeBlocks),
		lowestLargestFreeBytes: lower(marks.lowestLargestFreeBytes, point.largestFreeBytes),
	};
}

/** Creates an empty history. */
export function createHistory(options: HistoryOptions = {}): History {
	const maxPoints = options.maxPoints ?? 10_000;
	const keepReadings = options.keepReadings ?? 3;
	let points: HistoryPoint[] = [];
	let collected: HistoryPoint[] = [];
	let readings: Reading[] = [];
	let marks: LowWaterMarks = {};
	let total = 0;
	let broken = false;
	// The sparklines' series is the after-collect points: its first one after a reset carries the break.
	let collectBroken = false;
	return {
		push(reading) {
			total++;
			const point = pointOf(reading.snapshot, reading.atMs, reading.afterCollect);
			if (broken) {
				broken = false;
				if (points.length > 0) point.segmentStart = true;
				collectBroken = collected.length > 0;
				marks = {};
				readings = [];
			}
			// New arrays rather than in-place pushes: React sees a change by identity, and memoised views of
			// the old arrays stay valid.
			points = [...points.slice(points.length >= maxPoints ? 1 : 0), point];
			if (point.afterCollect) {
				const shown = collectBroken ? { ...point, segmentStart: true } : point;
				collectBroken = false;
				collected = [...collected.slice(collected.length >= maxPoints ? 1 : 0), shown];
			}
			readings = [...readings.slice(readings.length >= keepReadings ? 1 : 0), reading];
			marks = markPoint(marks, point);
		},
		pushLight(light) {
			total++;
			const point: HistoryPoint = {
				atMs: light.atMs,
				afterCollect: false,
				usedBytes: light.usedBytes,
				freeBytes: light.freeBytes,
			};
			points = [...points.slice(points.length >= maxPoints ? 1 : 0), point];
			marks = markPoint(marks, point);
		},
		points: () => points,
		collectPoints: () => collected,
		recent: () => readings,
		marks: () => marks,
		breakSegment() {
			broken = true;
		},
		get total() {
			return total;
		},
	};
}

/** The history of a whole recording, for replay: nothing dropped, and where each reading falls in it. */
export type RecordingHistory = {
	/** The after-collect points of every reading, oldest first: the sparklines' series. */
	collectPoints: readonly HistoryPoint[];
	/** The extremes of every reading. */
	marks: LowWaterMarks;
	/** For each reading, the index in `collectPoints` of the last point at or before it; -1 before the first. */
	pointIndex: Int32Array;
};

/**
 * The history of a recording from the figures of every one of its readings (`ReplayControls.points()`).
 * Unlike a live session's it has no bound: a point is a few numbers per reading. One pass, no copies.
 */
export function historyOfRecording(points: readonly HistoryPoint[]): RecordingHistory {
	const collectPoints: HistoryPoint[] = [];
	const pointIndex = new Int32Array(points.length);
	let marks: LowWaterMarks = {};
	points.forEach((point, index) => {
		if (point.segmentStart) marks = {};
		marks = markPoint(marks, point);
		if (point.afterCollect) collectPoints.push(point);
		pointIndex[index] = collectPoints.length - 1;
	});
	return { collectPoints, marks, pointIndex };
}

/**
 * How used-after-collect moves per collect over the last `window` collect points, in bytes: the slope of a
 * least-squares line. A steady climb is what a leak looks like. Undefined with fewer than 3 points.
 */
export function usedTrendBytesPerCollect(points: readonly HistoryPoint[], window = 10): number | undefined {
	// Only the current segment: a reset's drop in used is no trend.
	let start = Math.max(0, points.length - window);
	for (let index = points.length - 1; index > start; index--) {
		if (points[index]?.segmentStart) {
			start = index;
			break;
		}
	}
	const shown = points.slice(start);
	if (shown.length < 3) return undefined;
	const count = shown.length;
	const meanX = (count - 1) / 2;
	const meanY = shown.reduce((sum, point) => sum + point.usedBytes, 0) / count;
	let numerator = 0;
	let denominator = 0;
	shown.forEach((point, index) => {
		numerator += (index - meanX) * (point.usedBytes - meanY);
		denominator += (index - meanX) ** 2;
	});
	return numerator / denominator;
}
