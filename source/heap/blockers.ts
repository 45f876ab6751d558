import { areaRuns, FREE_CODE, runLetter } from './area-runs.js';
import type { HeapSnapshot } from './model.js';

/**
 * Blockers: the allocated objects that split the free memory. Freeing one object joins the free runs on
 * either side of it into one run of (left run + the object + right run); the objects that would make the
 * longest such run are the ones standing between the user and a big allocation.
 */

/** One object, and what its removal would make. Everything in blocks; the block size turns it into bytes. */
export type Blocker = {
	/** Index of the area in the dump. */
	area: number;
	/** The head's block, counted from the area's start. */
	block: number;
	/** The head's letter; `=` for tails whose head the map lost. */
	kind: string;
	/** The object's blocks, head and tails. */
	blocks: number;
	/** The free run that freeing it would make with its free neighbours. */
	mergedFreeBlocks: number;
	/** The longest free run of the whole heap if it were freed: that run, or a longer one elsewhere. */
	largestFreeIfFreedBlocks: number;
};

/** How many blockers a snapshot lists by default: enough to see a pattern, few enough to read. */
export const defaultBlockerCount = 8;

/**
 * Chooses which objects may be listed: called in address order, area by area, with the object's area, head
 * block, length and letter code. Lets the pinned analysis rank only long-lived objects.
 */
export type BlockerFilter = (area: number, block: number, blocks: number, code: number) => boolean;

/**
 * The longest free run over every area, from the runs, so that it agrees with what the blockers count. The
 * parser counted it from the same runs (`map.maxFreeBlocks`, scan-cells.ts); only a snapshot made without
 * the parser has them counted here.
 */
export function largestFreeRunBlocks(snapshot: HeapSnapshot): number {
	if (snapshot.map) return snapshot.map.maxFreeBlocks;
	let largest = 0;
	for (const area of snapshot.areas) {
		const runs = areaRuns(area);
		for (let run = 0; run < runs.count; run++) {
			const length = runs.length[run] ?? 0;
			if (runs.code[run] === FREE_CODE && length > largest) largest = length;
		}
	}
	return largest;
}

/**
 * The `limit` objects whose removal would make the longest free runs, longest first (ties: the lower
 * address, areas in dump order). One pass over the runs; the few best are kept in order as it goes.
 */
export function findBlockers(snapshot: HeapSnapshot, limit = defaultBlockerCount, filter?: BlockerFilter): Blocker[] {
	const largest = largestFreeRunBlocks(snapshot);
	const best: Blocker[] = [];
	if (limit < 1) return best;
	for (const [area, heapArea] of snapshot.areas.entries()) {
		const { count, start, length, code } = areaRuns(heapArea);
		for (let run = 0; run < count; run++) {
			const letter = code[run] ?? 0;
			if (letter === FREE_CODE) continue;
			const blocks = length[run] ?? 0;
			// Runs alternate: a neighbour that is free is the whole free run on that side.
			const left = run > 0 && code[run - 1] === FREE_CODE ? (length[run - 1] ?? 0) : 0;
			const right = run + 1 < count && code[run + 1] === FREE_CODE ? (length[run + 1] ?? 0) : 0;
			const merged = left + blocks + right;
			// Only a longer run than the last kept one gets in: ties keep the lower address already kept.
			if (best.length === limit && merged <= (best[limit - 1]?.mergedFreeBlocks ?? 0)) continue;
			const block = start[run] ?? 0;
			if (filter && !filter(area, block, blocks, letter)) continue;
			let at = best.length;
			while (at > 0 && (best[at - 1]?.mergedFreeBlocks ?? 0) < merged) at--;
			best.splice(at, 0, {
				area,
				block,
				kind: runLetter(letter),
				blocks,
				mergedFreeBlocks: merged,
				largestFreeIfFreedBlocks: Math.max(merged, largest),
			});
			if (best.length > limit) best.pop();
		}
	}
	return best;
}
