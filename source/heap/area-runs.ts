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
	 * First block of each run, counted from the area's start. Doubles, not 32-bit integers: an elided free run
	 * may claim more than 2^31 blocks, and a figure that wrapped would be a wrong answer, not an unknown one.
	 */
	start: Float64Array;
	/** Blocks in each run: a free run's length, or an allocation's head plus tails. */
	length: Float64Array;
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

// The runs of an area are asked for by the parser's own figures (scan-cells.ts) and by the analyses of the same
// snapshot (fit, blockers, pinned): read each area's map once. Keyed by the area object, so a snapshot that is
// dropped takes its runs with it. They cost about 18 B a run, a fragmented 8 MiB heap's 81,000 runs 1.5 MB.
const cache = new WeakMap<HeapArea, AreaRuns>();

/** The runs of one area, computed once per area object. */
export function areaRuns(area: HeapArea): AreaRuns {
	const cached = cache.get(area);
	if (cached) return cached;
	const runs = scanRuns(area.cells);
	cache.set(area, runs);
	return runs;
}

/** Splits a map into runs in one pass, growing the arrays by doubling (a map has far fewer runs than blocks). */
function scanRuns(cells: HeapArea['cells']): AreaRuns {
	let capacity = 1024;
	let start = new Float64Array(capacity);
	let length = new Float64Array(capacity);
	let code = new Uint16Array(capacity);
	let count = 0;
	forEachRun(cells, (from, to, letter) => {
		if (count === capacity) {
			capacity *= 2;
			const grownStart = new Float64Array(capacity);
			grownStart.set(start);
			start = grownStart;
			const grownLength = new Float64Array(capacity);
			grownLength.set(length);
			length = grownLength;
			const grownCode = new Uint16Array(capacity);
			grownCode.set(code);
			code = grownCode;
		}
		start[count] = from;
		length[count] = to - from;
		code[count] = letter;
		count++;
	});
	// Kept with the snapshot: the doubling's spare room is given back.
	return {
		blocks: cells.length,
		count,
		start: start.slice(0, count),
		length: length.slice(0, count),
		code: code.slice(0, count),
	};
}

/**
 * Calls `visit` for each run: a free run, a head with its tails, or tails without a head. Built on the
 * map's runs of one repeated letter, so that a map which keeps an elided free run as one piece is walked
 * in one step there too.
 */
function forEachRun(cells: HeapArea['cells'], visit: (start: number, end: number, code: number) => void): void {
	// The run being built: its start and letter; -1 when none is open.
	let openStart = -1;
	let openCode = -1;
	let at = 0;
	cells.forEachRun((code, count) => {
		if (code === TAIL_CODE && openStart >= 0 && openCode !== FREE_CODE) {
			at += count;
			return;
		}
		if (openStart >= 0) visit(openStart, at, openCode);
		if (code === FREE_CODE || code === TAIL_CODE) {
			openStart = at;
			openCode = code;
			at += count;
			return;
		}
		// Several heads in a row are as many objects of one block; the last may take the tails that follow.
		for (let head = 0; head < count - 1; head++) visit(at + head, at + head + 1, code);
		openStart = at + count - 1;
		openCode = code;
		at += count;
	});
	if (openStart >= 0) visit(openStart, at, openCode);
}

/** The letter a run's code stands for, as the dump printed it. */
export function runLetter(code: number): string {
	return String.fromCharCode(code);
}
