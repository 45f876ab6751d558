import type { HeapArea } from './model.js';

/**
 * One area's map as runs: each free run and each allocation (a head and its tails) as one entry, in address
 * order. The analyses of "why" (fit, blockers, pinned) work on runs, never on cells, so that they cost what
 * the number of objects costs, and so that this file is the only one that knows how an area stores its map.
 */
export type AreaRuns = {
	/** Blocks in the area. */
	blocks: number;
	/** Number of runs; the arrays below may be longer. */
	count: number;
	/**
	 * First block of each run, counted from the area's start. Doubles when the area has more than 2^31 blocks
	 * (an elision may claim that many): a figure that wrapped would be a wrong answer, not an unknown one.
	 */
	start: Int32Array | Float64Array;
	/** Blocks in each run: a free run's length, or an allocation's head plus tails. */
	length: Int32Array | Float64Array;
	/**
	 * The head letter's character code, `FREE_CODE` for a free run, or `TAIL_CODE` for tails with no head
	 * before them (a damaged map; they are used memory all the same).
	 */
	code: Uint16Array;
};

/** `.`: a free block. */
export const FREE_CODE = 0x2e;
/** `=`: a tail block. */
export const TAIL_CODE = 0x3d;

// The runs of an area are asked for by the analyses of a snapshot (fit, blockers, pinned): read each area's
// map once. Keyed by the area object, so a snapshot that is dropped takes its runs with it.
const cache = new WeakMap<HeapArea, AreaRuns>();

// Every snapshot's figures are counted from its runs too (scan-cells.ts), but most snapshots are never asked
// "why": their runs are read into these arrays, reused from one read to the next, so that a history of a
// thousand big heaps allocates no runs at all. The last area read stays here, and is copied out, exactly
// sized, if an analysis then asks for it (inspect does, at once).
const scratch = {
	area: undefined as HeapArea | undefined,
	count: 0,
	start: new Float64Array(1024),
	length: new Float64Array(1024),
	code: new Uint16Array(1024),
};

/**
 * The runs of one area, for one walk that keeps nothing: the arrays are valid until the next call, and are
 * longer than `count`. The parser's figures read them so.
 */
export function readRuns(area: HeapArea): AreaRuns {
	const cached = cache.get(area);
	if (cached) return cached;
	if (scratch.area !== area) fillScratch(area);
	return {
		blocks: area.cells.length,
		count: scratch.count,
		start: scratch.start,
		length: scratch.length,
		code: scratch.code,
	};
}

/** The runs of one area, computed once per area object and kept with it. */
export function areaRuns(area: HeapArea): AreaRuns {
	const cached = cache.get(area);
	if (cached) return cached;
	if (scratch.area !== area) fillScratch(area);
	const { count } = scratch;
	// Block numbers fit 32-bit integers in every real heap (2^31 blocks would be 32 GiB).
	const Numbers = area.cells.length > 0x7fffffff ? Float64Array : Int32Array;
	const start = new Numbers(count);
	start.set(scratch.start.subarray(0, count));
	const length = new Numbers(count);
	length.set(scratch.length.subarray(0, count));
	const runs: AreaRuns = { blocks: area.cells.length, count, start, length, code: scratch.code.slice(0, count) };
	cache.set(area, runs);
	return runs;
}

/** Puts one run at `count` in the scratch arrays, doubling them when they are full; returns the next count. */
function pushRun(count: number, start: number, length: number, code: number): number {
	if (count === scratch.start.length) {
		const capacity = count * 2;
		const grownStart = new Float64Array(capacity);
		grownStart.set(scratch.start);
		scratch.start = grownStart;
		const grownLength = new Float64Array(capacity);
		grownLength.set(scratch.length);
		scratch.length = grownLength;
		const grownCode = new Uint16Array(capacity);
		grownCode.set(scratch.code);
		scratch.code = grownCode;
	}
	scratch.start[count] = start;
	scratch.length[count] = length;
	scratch.code[count] = code;
	return count + 1;
}

/**
 * Whether a cell (or a repeated segment) of `code` goes on the open run: a tail on the open allocation or on
 * the open headless tails, a free block on the open free run. A head always starts a run of its own.
 */
function continuesRun(code: number, openStart: number, openCode: number): boolean {
	if (code === TAIL_CODE) return openStart >= 0 && openCode !== FREE_CODE;
	return code === FREE_CODE && openCode === FREE_CODE;
}

/**
 * Splits the area's map into runs in one pass, into the scratch arrays: a free run, a head with its tails, or
 * tails without a head. Printed cells are read one by one; a repeated segment (an elision) is one step, so a
 * map that claims 2^30 free rows is walked as fast as one that prints them. This walk is most of the parser's
 * time on a big heap, so it reads the segments itself, with no callback a cell.
 */
function fillScratch(area: HeapArea): void {
	// Marked empty first: if the walk failed part way, no later call would take the half-filled arrays.
	scratch.area = undefined;
	let count = 0;
	// The run being built: its first block and letter; -1 when none is open.
	let openStart = -1;
	let openCode = -1;
	let at = 0;
	for (const segment of area.cells.segments) {
		if ('text' in segment) {
			const text = segment.text;
			const end = text.length;
			let index = 0;
			while (index < end) {
				// The open run takes every cell that continues it, in a loop that asks one thing a cell.
				const takes = openCode === FREE_CODE ? FREE_CODE : openStart >= 0 ? TAIL_CODE : -1;
				while (index < end && text.charCodeAt(index) === takes) index++;
				if (index === end) break;
				const code = text.charCodeAt(index);
				if (openStart >= 0) count = pushRun(count, openStart, at + index - openStart, openCode);
				openStart = at + index;
				openCode = code;
				index++;
			}
			at += end;
			continue;
		}
		const { code, count: repeat } = segment;
		if (!continuesRun(code, openStart, openCode)) {
			if (openStart >= 0) count = pushRun(count, openStart, at - openStart, openCode);
			// Several heads in a row are as many objects of one block; the last may take the tails that follow.
			if (code !== FREE_CODE && code !== TAIL_CODE) {
				for (let head = 0; head < repeat - 1; head++) count = pushRun(count, at + head, 1, code);
				openStart = at + repeat - 1;
			} else openStart = at;
			openCode = code;
		}
		at += repeat;
	}
	if (openStart >= 0) count = pushRun(count, openStart, at - openStart, openCode);
	scratch.count = count;
	scratch.area = area;
}

/** The letter a run's code stands for, as the dump printed it. */
export function runLetter(code: number): string {
	return String.fromCharCode(code);
}
