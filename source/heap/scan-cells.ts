import type { HeapArea, KindCount, MapFigures } from './model.js';

const FREE = 0x2e; // '.'
const TAIL = 0x3d; // '='
/** Cells outside ASCII are counted under this letter, so one odd byte cannot blow up the kinds table. */
const UNKNOWN = 0x3f; // '?'

/**
 * Counts the cells of every area in one pass, the way gc.c's `gc_info` walks the allocation table: an
 * allocation is a head and the tails after it; a free run ends at the first used block or at the area's end.
 */
export function scanCells(areas: readonly HeapArea[]): MapFigures {
	const objectsByCode = new Int32Array(128);
	const blocksByCode = new Int32Array(128);
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
		const cells = area.cells;
		const length = cells.length;
		blocks += length;
		let index = 0;
		// Each turn takes one whole run: a free run, or a head and its tails. The inner loops test one
		// character each, which keeps an 8 MiB heap (half a million cells) to a few milliseconds.
		while (index < length) {
			const code = cells.charCodeAt(index);
			let end = index + 1;
			if (code === FREE) {
				while (end < length && cells.charCodeAt(end) === FREE) end++;
				const run = end - index;
				freeBlocks += run;
				freeRuns++;
				if (run > maxFreeBlocks) maxFreeBlocks = run;
				const bucket = 31 - Math.clz32(run);
				while (histogram.length <= bucket) histogram.push(0);
				histogram[bucket] = (histogram[bucket] ?? 0) + 1;
			} else if (code === TAIL) {
				// A tail with no head: the map was damaged. gc.c would never print it; count it as used.
				while (end < length && cells.charCodeAt(end) === TAIL) end++;
				orphanTailBlocks += end - index;
			} else {
				while (end < length && cells.charCodeAt(end) === TAIL) end++;
				const run = end - index;
				if (run === 1) oneBlock++;
				else if (run === 2) twoBlock++;
				if (run > maxBlockBlocks) maxBlockBlocks = run;
				const letter = code < 128 ? code : UNKNOWN;
				objectsByCode[letter] = (objectsByCode[letter] ?? 0) + 1;
				blocksByCode[letter] = (blocksByCode[letter] ?? 0) + run;
			}
			index = end;
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
	};
}
