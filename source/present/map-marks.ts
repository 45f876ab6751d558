import type { HeapSnapshot } from '../heap/model.js';
import { formatBlocks } from './format.js';
import type { CellStyle } from './paint.js';

/**
 * What the map can mark besides the diff: ranges of blocks drawn with their own letter and style, and the
 * legend's words for them. The largest free run is one; the "why" analysis (blockers, where N bytes would
 * go) adds its own through the same shape. A mark changes the letter, not only the colour, so it shows
 * with `NO_COLOR`, with `--ascii` and in a plain capture.
 */

/** Blocks `firstBlock` to `firstBlock + blocks` of area `areaIndex`. */
export type BlockRange = { areaIndex: number; firstBlock: number; blocks: number };

/** A set of ranges drawn one way, with its legend entry. */
export type MapHighlight = {
	id: string;
	/** The legend's words: `largest free run 191,648 B`. */
	label: string;
	/** The letter its cells show in place of their own (ASCII, so that it survives `--ascii` and `LANG=C`). */
	letter: string;
	style: CellStyle;
	ranges: readonly BlockRange[];
};

const FREE = 0x2e; // '.'

/** Each area's largest free run (the first of equal ones), biggest first; none for an area without free blocks. */
export function largestFreeRuns(snapshot: HeapSnapshot): BlockRange[] {
	const runs: BlockRange[] = [];
	snapshot.areas.forEach((area, areaIndex) => {
		let best: BlockRange | undefined;
		let at = 0;
		area.cells.forEachRun((code, count) => {
			if (code === FREE && count > (best?.blocks ?? 0)) best = { areaIndex, firstBlock: at, blocks: count };
			at += count;
		});
		if (best) runs.push(best);
	});
	return runs.sort((a, b) => b.blocks - a.blocks);
}

/**
 * The cells of one row that a range marks, as `[start, end)` cell indices of the row, or undefined when it
 * marks none there. A cell is marked when the range holds all its blocks; a range smaller than any cell it
 * touches marks the cell it starts in, so that it is never lost at a coarse scale.
 */
export function markedCells(
	range: BlockRange,
	rowFirstBlock: number,
	rowCells: number,
	zoom: number,
): [number, number] | undefined {
	let first = Math.ceil(range.firstBlock / zoom);
	let end = Math.floor((range.firstBlock + range.blocks) / zoom);
	if (end <= first) {
		first = Math.floor(range.firstBlock / zoom);
		end = first + 1;
	}
	const rowFirstCell = rowFirstBlock / zoom;
	const start = Math.max(0, first - rowFirstCell);
	const stop = Math.min(rowCells, end - rowFirstCell);
	return stop > start ? [start, stop] : undefined;
}

/** The letter of the largest free run on the map. */
export const LARGEST_FREE_LETTER = '_';

/**
 * The largest free run as a map mark: where the biggest allocation would go now. A split heap marks each
 * area's largest, since an object cannot span areas.
 */
export function largestFreeHighlight(snapshot: HeapSnapshot): MapHighlight | undefined {
	const runs = largestFreeRuns(snapshot);
	const largest = runs[0];
	if (!largest) return undefined;
	const size = formatBlocks(largest.blocks, snapshot.bytesPerBlock);
	return {
		id: 'largest-free',
		label: runs.length > 1 ? `largest free run of each area (biggest ${size})` : `largest free run, ${size}`,
		letter: LARGEST_FREE_LETTER,
		style: { fg: 'cyan', bold: true },
		ranges: runs,
	};
}
