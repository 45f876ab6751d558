import { areaRuns, FREE_CODE } from './area-runs.js';
import { type Blocker, defaultBlockerCount, findBlockers } from './blockers.js';
import type { HeapSnapshot } from './model.js';

/**
 * Pinned objects: those at the same place, of the same kind and size, in every reading taken after a collect.
 * A collect frees all garbage, so an object that survives collect after collect is long-lived; one that sits
 * inside a big free area keeps that area split for as long as it lives. That is what the guides mean by
 * "allocate big buffers early". The set is carried from reading to reading, so it costs one map's objects,
 * however many readings it has seen.
 */

/** The objects of one area that every reading so far had, in address order. */
export type PinnedArea = {
	/** The area's start address, which is how areas are matched between readings. */
	address: string;
	count: number;
	start: Int32Array;
	length: Int32Array;
	code: Uint16Array;
};

/** Objects that survived every reading so far. */
export type PinnedSet = {
	/** Readings taken into account. */
	readings: number;
	areas: PinnedArea[];
};

/** The number of pinned objects. */
export function pinnedCount(pinned: PinnedSet): number {
	return pinned.areas.reduce((sum, area) => sum + area.count, 0);
}

/** Every allocated object of a snapshot: the pinned set of a single reading. */
function objectsOf(snapshot: HeapSnapshot): PinnedArea[] {
	return snapshot.areas.map((area) => {
		const runs = areaRuns(area);
		let count = 0;
		for (let run = 0; run < runs.count; run++) if (runs.code[run] !== FREE_CODE) count++;
		const pinned: PinnedArea = {
			address: area.address,
			count,
			start: new Int32Array(count),
			length: new Int32Array(count),
			code: new Uint16Array(count),
		};
		let at = 0;
		for (let run = 0; run < runs.count; run++) {
			const code = runs.code[run] ?? FREE_CODE;
			if (code === FREE_CODE) continue;
			pinned.start[at] = runs.start[run] ?? 0;
			pinned.length[at] = runs.length[run] ?? 0;
			pinned.code[at] = code;
			at++;
		}
		return pinned;
	});
}

/** Keeps the pinned objects that are also in `area`'s runs, unchanged. Both are in address order: one merge. */
function intersect(pinned: PinnedArea, snapshotArea: HeapSnapshot['areas'][number]): PinnedArea {
	const runs = areaRuns(snapshotArea);
	const kept: PinnedArea = {
		address: pinned.address,
		count: 0,
		start: new Int32Array(pinned.count),
		length: new Int32Array(pinned.count),
		code: new Uint16Array(pinned.count),
	};
	let run = 0;
	for (let index = 0; index < pinned.count; index++) {
		const start = pinned.start[index] ?? 0;
		while (run < runs.count && (runs.start[run] ?? 0) < start) run++;
		if (run >= runs.count) break;
		if (
			runs.start[run] === start &&
			runs.length[run] === pinned.length[index] &&
			runs.code[run] === pinned.code[index] &&
			runs.code[run] !== FREE_CODE
		) {
			kept.start[kept.count] = start;
			kept.length[kept.count] = pinned.length[index] ?? 0;
			kept.code[kept.count] = pinned.code[index] ?? 0;
			kept.count++;
		}
	}
	return kept;
}

/**
 * The pinned set after one more reading (pass only readings taken after a collect). The first reading pins
 * everything it has; each later one keeps what it still has at the same place. An area the later reading no
 * longer has (a split heap gave it back) takes its objects with it.
 */
export function pinAfter(previous: PinnedSet | undefined, snapshot: HeapSnapshot): PinnedSet {
	if (previous === undefined) return { readings: 1, areas: objectsOf(snapshot) };
	const areas: PinnedArea[] = [];
	for (const pinned of previous.areas) {
		const now = snapshot.areas.find((area) => area.address === pinned.address);
		if (now) areas.push(intersect(pinned, now));
	}
	return { readings: previous.readings + 1, areas };
}

/** The pinned set over several readings, oldest first. */
export function pinnedAcross(snapshots: readonly HeapSnapshot[]): PinnedSet | undefined {
	let pinned: PinnedSet | undefined;
	for (const snapshot of snapshots) pinned = pinAfter(pinned, snapshot);
	return pinned;
}

/**
 * The pinned objects that split the most free memory in `snapshot` (the latest reading): the blockers that
 * will not go away by themselves.
 */
export function pinnedBlockers(pinned: PinnedSet, snapshot: HeapSnapshot, limit = defaultBlockerCount): Blocker[] {
	// The blockers' pass visits objects in address order, area by area: one cursor per area is enough.
	const byArea = snapshot.areas.map((area) => pinned.areas.find((candidate) => candidate.address === area.address));
	const cursors = new Int32Array(byArea.length);
	return findBlockers(snapshot, limit, (area, block, blocks, code) => {
		const set = byArea[area];
		if (!set) return false;
		let cursor = cursors[area] ?? 0;
		while (cursor < set.count && (set.start[cursor] ?? 0) < block) cursor++;
		cursors[area] = cursor;
		return set.start[cursor] === block && set.length[cursor] === blocks && set.code[cursor] === code;
	});
}
