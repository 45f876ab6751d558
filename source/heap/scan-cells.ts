import { FREE_CODE, readRuns, TAIL_CODE } from './area-runs.js';
import type { HeapArea, KindCount, MapFigures } from './model.js';

/** Cells outside ASCII are counted under this letter, so one odd byte cannot blow up the kinds table. */
const UNKNOWN = 0x3f; // '?'

/**
 * Counts the cells of every area the way gc.c's `gc_info` walks the allocation table: an allocation is a head
 * and the tails after it; a free run ends at the first used block or at the area's end. The walk goes over
 * the area's runs (area-runs.ts), so an elided run of any length is one step; an analysis that follows takes
 * the last area's runs without reading its map again. `complete` is left false: only the caller knows whether
 * the map covers the GC total.
 */
export function scanCells(areas: readonly HeapArea[]): MapFigures {
	const objectsByCode = new Float64Array(128);
	const blocksByCode = new Float64Array(128);
	const histogram: number[] = [];
	let blocks = 0;
	let freeBlocks = 0;
	let oneBlock = 0;
	let twoBlock = 0;
	let maxBlockBlocks = 0;
	let maxFreeBlocks = 0;
	let freeRuns = 0;
	let orphanTailBlocks = 0;

	for (const area of areas) {
		const runs = readRuns(area);
		blocks += runs.blocks;
		for (let run = 0; run < runs.count; run++) {
			const code = runs.code[run] ?? FREE_CODE;
			const count = runs.length[run] ?? 0;
			if (code === FREE_CODE) {
				freeBlocks += count;
				freeRuns++;
				if (count > maxFreeBlocks) maxFreeBlocks = count;
				const bucket = powerOfTwoBelow(count);
				while (histogram.length <= bucket) histogram.push(0);
				histogram[bucket] = (histogram[bucket] ?? 0) + 1;
			} else if (code === TAIL_CODE) {
				// Tails with no head: the map was damaged. gc.c would never print them; they count as used.
				orphanTailBlocks += count;
			} else {
				if (count === 1) oneBlock++;
				else if (count === 2) twoBlock++;
				if (count > maxBlockBlocks) maxBlockBlocks = count;
				const letter = code < 128 ? code : UNKNOWN;
				objectsByCode[letter] = (objectsByCode[letter] ?? 0) + 1;
				blocksByCode[letter] = (blocksByCode[letter] ?? 0) + count;
			}
		}
	}

	const kinds: Record<string, KindCount> = {};
	for (let code = 0; code < 128; code++) {
		const objects = objectsByCode[code] ?? 0;
		if (objects > 0) kinds[String.fromCharCode(code)] = { objects, blocks: blocksByCode[code] ?? 0 };
	}
	const usedBlocks = blocks - freeBlocks;
	const headBlocks = Object.values(kinds).reduce((sum, kind) => sum + kind.objects, 0);
	const tailBlocks = usedBlocks - headBlocks;
	if (tailBlocks > 0) kinds['='] = { objects: 0, blocks: tailBlocks };
	if (freeBlocks > 0) kinds['.'] = { objects: freeRuns, blocks: freeBlocks };

	return {
		blocks,
		freeBlocks,
		usedBlocks,
		oneBlock,
		twoBlock,
		maxBlockBlocks,
		maxFreeBlocks,
		freeRuns,
		freeRunHistogram: histogram,
		kinds,
		orphanTailBlocks,
		complete: false,
	};
}

/**
 * k such that 2^k <= count < 2^(k+1). Below 2^32 (every real heap) `Math.clz32` gives it exactly and fast, and
 * a fragmented heap has one free run per few blocks; beyond, `log2` may round, so it is checked.
 */
function powerOfTwoBelow(count: number): number {
	if (count < 0x100000000) return 31 - Math.clz32(count);
	let power = Math.floor(Math.log2(count));
	if (2 ** power > count) power--;
	else if (2 ** (power + 1) <= count) power++;
	return power;
}
