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
		let allocationBlocks = 0;
		let allocationCode = 0;
		let freeRunBlocks = 0;

		for (let index = 0; index <= length; index++) {
			// One step past the end closes whatever run is open, so runs never join across areas.
			const code = index < length ? cells.charCodeAt(index) : -1;
			if (code === TAIL && allocationBlocks > 0) {
				allocationBlocks++;
				continue;
			}
			if (allocationBlocks > 0) {
				if (allocationBlocks === 1) oneBlock++;
				else if (allocationBlocks === 2) twoBlock++;
				if (allocationBlocks > maxBlockBlocks) maxBlockBlocks = allocationBlocks;
				objectsByCode[allocationCode] = (objectsByCode[allocationCode] ?? 0) + 1;
				blocksByCode[allocationCode] = (blocksByCode[allocationCode] ?? 0) + allocationBlocks;
				allocationBlocks = 0;
			}
			if (code === FREE) {
				freeRunBlocks++;
				continue;
			}
			if (freeRunBlocks > 0) {
				freeBlocks += freeRunBlocks;
				freeRuns++;
				if (freeRunBlocks > maxFreeBlocks) maxFreeBlocks = freeRunBlocks;
				const bucket = 31 - Math.clz32(freeRunBlocks);
				while (histogram.length <= bucket) histogram.push(0);
				histogram[bucket] = (histogram[bucket] ?? 0) + 1;
				freeRunBlocks = 0;
			}
			if (code === -1) break;
			if (code === TAIL) {
				// A tail with no head: the map was damaged. gc.c would never print it; count it as used.
				orphanTailBlocks++;
				continue;
			}
			allocationBlocks = 1;
			allocationCode = code < 128 ? code : UNKNOWN;
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
