import { type AreaRuns, areaRuns, FREE_CODE, runLetter } from './area-runs.js';
import type { HeapSnapshot } from './model.js';

/**
 * "Will N bytes fit?", answered as MicroPython's `gc_alloc` (py/gc.c) would answer it on this map: N bytes
 * need ceil(N / block size) contiguous free blocks; the allocator takes the first run long enough, searching
 * the areas in the order the dump lists them and each from its lowest free block. When nothing is long
 * enough, the answer names the cheapest place: the window of that many blocks that the fewest allocated bytes
 * stand in.
 */

/** A place in the heap: an area (its index in the dump) and a block in it, with the block's byte offset. */
export type HeapPlace = {
	/** Index of the area in the dump, 0 for the first `GC memory layout` section. */
	area: number;
	/** First block, counted from the area's start. */
	block: number;
	/** Bytes from the area's start, as the dump's row labels count them. */
	offsetBytes: number;
};

/** An allocated object found on the map: where its head is, its letter, and its size with tails. */
export type MapObject = HeapPlace & {
	/** The head's letter (`h`, `S`, `A`…); `=` for tails whose head the map lost. */
	kind: string;
	blocks: number;
	bytes: number;
};

/** The window of the requested size with the fewest allocated bytes in its way. */
export type CheapestPlace = HeapPlace & {
	/** Every object that overlaps the window, in whole: to free the window, each must go. */
	allocatedBytes: number;
	objectCount: number;
	/** The first `maxObjects` of them, in address order. */
	objects: MapObject[];
};

/** One area's own figures: on a split heap (esp32, CircuitPython 9, WebAssembly) each area is searched alone. */
export type AreaFigures = {
	area: number;
	address: string;
	blocks: number;
	freeBlocks: number;
	/** Longest free run inside this area: free runs never join across areas. */
	largestFreeBlocks: number;
};

/** The answer for one size on one map. */
export type FitAnswer = {
	/** The size asked for. */
	bytes: number;
	/** Blocks `gc_alloc` needs for it: ceil(bytes / block size). */
	blocks: number;
	bytesPerBlock: number;
	/** It can be allocated now: in an area of the map, or in a new area the port would add (`newArea`). */
	fits: boolean;
	/** Where `gc_alloc` would put it, when an area of the map has room. */
	at?: HeapPlace;
	/**
	 * No area has room, but a split-heap-auto port (esp32, WebAssembly) would add a new area for it: its
	 * `max new split` covers the size plus the overhead `gc_try_add_heap` reserves.
	 */
	newArea?: boolean;
	/** When no area has room: the cheapest window, if any area is big enough to hold one at all. */
	cheapest?: CheapestPlace;
	/** Longest free run over all areas, in blocks. */
	largestFreeBlocks: number;
	areas: AreaFigures[];
};

/**
 * Why a map cannot answer: none (a summary-only dump), no block size, a size that is none, or a map that
 * does not cover the heap (cut off, damaged) with no room in the part it shows.
 */
export type FitProblem = 'no-map' | 'no-block-size' | 'not-a-size' | 'map-cut-off';

/** An answer, or why there is none: the input cannot tell, which is not "no". */
export type FitResult = { ok: true; answer: FitAnswer } | { ok: false; problem: FitProblem };

/** Objects listed in a cheapest window; the count and bytes always cover all of them. */
export const maxObjects = 100;

/** Blocks `gc_alloc` asks for: the size rounded up to whole blocks. */
export function blocksFor(bytes: number, bytesPerBlock: number): number {
	return Math.ceil(bytes / bytesPerBlock);
}

/**
 * The overhead `gc_try_add_heap` adds to a failed allocation before asking the port for a new area: it adds
 * one only when `max new split` covers the size plus max(2048, size × 13 / 512).
 */
export function newAreaNeedsBytes(bytes: number): number {
	return bytes + Math.max(2048, Math.floor((bytes * 13) / 512));
}

/** Each area's free figures, counted from its runs. */
export function areaFigures(snapshot: HeapSnapshot): AreaFigures[] {
	return snapshot.areas.map((area, index) => {
		const runs = areaRuns(area);
		let freeBlocks = 0;
		let largestFreeBlocks = 0;
		for (let run = 0; run < runs.count; run++) {
			if (runs.code[run] !== FREE_CODE) continue;
			const length = runs.length[run] ?? 0;
			freeBlocks += length;
			if (length > largestFreeBlocks) largestFreeBlocks = length;
		}
		return { area: index, address: area.address, blocks: runs.blocks, freeBlocks, largestFreeBlocks };
	});
}

/** Answers "will `bytes` fit?" on a snapshot's map. */
export function fitAllocation(snapshot: HeapSnapshot, bytes: number): FitResult {
	if (!Number.isSafeInteger(bytes) || bytes < 1) return { ok: false, problem: 'not-a-size' };
	if (snapshot.areas.length === 0) return { ok: false, problem: 'no-map' };
	const bytesPerBlock = snapshot.bytesPerBlock;
	if (bytesPerBlock === undefined) return { ok: false, problem: 'no-block-size' };
	const blocks = blocksFor(bytes, bytesPerBlock);
	const areas = areaFigures(snapshot);
	const largestFreeBlocks = areas.reduce((largest, area) => Math.max(largest, area.largestFreeBlocks), 0);
	const answer: FitAnswer = { bytes, blocks, bytesPerBlock, fits: false, largestFreeBlocks, areas };

	const at = firstFit(snapshot, blocks);
	if (at !== undefined) {
		answer.fits = true;
		answer.at = { area: at.area, block: at.block, offsetBytes: at.block * bytesPerBlock };
		return { ok: true, answer };
	}
	// A cut-off or damaged map may have the room in the part that is missing: "no" would be a guess.
	if (snapshot.map?.complete !== true) return { ok: false, problem: 'map-cut-off' };
	const split = snapshot.gc.maxNewSplitBytes;
	if (split !== undefined && split >= newAreaNeedsBytes(bytes)) {
		answer.fits = true;
		answer.newArea = true;
	}
	const cheapest = cheapestWindow(snapshot, blocks, bytesPerBlock);
	if (cheapest) answer.cheapest = cheapest;
	return { ok: true, answer };
}

/** The first free run of at least `blocks`, areas in dump order: where `gc_alloc` would put it. */
function firstFit(snapshot: HeapSnapshot, blocks: number): { area: number; block: number } | undefined {
	for (const [area, heapArea] of snapshot.areas.entries()) {
		const runs = areaRuns(heapArea);
		for (let run = 0; run < runs.count; run++) {
			if (runs.code[run] === FREE_CODE && (runs.length[run] ?? 0) >= blocks) {
				return { area, block: runs.start[run] ?? 0 };
			}
		}
	}
	return undefined;
}

/**
 * The window of `blocks` blocks in one area that the fewest allocated blocks overlap, counting each
 * overlapping object whole. The cost only drops when an object leaves the window's left edge, so the lowest
 * window of least cost starts at the area's start or just after an object: only those starts are tried, with
 * two cursors over the runs, in one pass.
 */
export function cheapestWindowInArea(
	runs: AreaRuns,
	blocks: number,
): { block: number; allocatedBlocks: number } | undefined {
	if (blocks > runs.blocks || blocks < 1) return undefined;
	const { start, length, code, count } = runs;
	let bestCost = Number.POSITIVE_INFINITY;
	let bestStart = -1;
	let low = 0;
	let high = 0;
	let cost = 0;
	// Candidate starts in order: the area's start (run -1), then just after each object.
	for (let run = -1; run < count && bestCost > 0; run++) {
		let windowStart = 0;
		if (run >= 0) {
			if (code[run] === FREE_CODE) continue;
			windowStart = (start[run] as number) + (length[run] as number);
		}
		const windowEnd = windowStart + blocks;
		if (windowEnd > runs.blocks) break;
		while (high < count && (start[high] as number) < windowEnd) {
			if (code[high] !== FREE_CODE) cost += length[high] as number;
			high++;
		}
		while (low < high && (start[low] as number) + (length[low] as number) <= windowStart) {
			if (code[low] !== FREE_CODE) cost -= length[low] as number;
			low++;
		}
		if (cost < bestCost) {
			bestCost = cost;
			bestStart = windowStart;
		}
	}
	return { block: bestStart, allocatedBlocks: bestCost };
}

/** The cheapest window over all areas (ties: the earlier area), with the objects in it. */
function cheapestWindow(snapshot: HeapSnapshot, blocks: number, bytesPerBlock: number): CheapestPlace | undefined {
	let chosen: { area: number; runs: AreaRuns; block: number; allocatedBlocks: number } | undefined;
	for (const [area, heapArea] of snapshot.areas.entries()) {
		const runs = areaRuns(heapArea);
		const found = cheapestWindowInArea(runs, blocks);
		if (found && (chosen === undefined || found.allocatedBlocks < chosen.allocatedBlocks)) {
			chosen = { area, runs, ...found };
		}
	}
	if (chosen === undefined) return undefined;
	const { runs } = chosen;
	const objects = objectsIn(runs, chosen.area, chosen.block, chosen.block + blocks, bytesPerBlock);
	return {
		area: chosen.area,
		block: chosen.block,
		offsetBytes: chosen.block * bytesPerBlock,
		allocatedBytes: chosen.allocatedBlocks * bytesPerBlock,
		objectCount: objects.count,
		objects: objects.listed,
	};
}

/** The objects that overlap blocks [from, to) of an area: a count, and the first `maxObjects` of them. */
function objectsIn(
	runs: AreaRuns,
	area: number,
	from: number,
	to: number,
	bytesPerBlock: number,
): { count: number; listed: MapObject[] } {
	const listed: MapObject[] = [];
	let count = 0;
	for (let run = 0; run < runs.count; run++) {
		const start = runs.start[run] ?? 0;
		const length = runs.length[run] ?? 0;
		if (start >= to) break;
		if (start + length <= from || runs.code[run] === FREE_CODE) continue;
		count++;
		if (listed.length < maxObjects) {
			listed.push({
				area,
				block: start,
				offsetBytes: start * bytesPerBlock,
				kind: runLetter(runs.code[run] ?? 0),
				blocks: length,
				bytes: length * bytesPerBlock,
			});
		}
	}
	return { count, listed };
}
