import type { Cells } from './cells.js';

/**
 * The data model of one `micropython.mem_info(1)` dump. Everything here is data (the map is a `Cells`, which
 * holds only its segments), so a snapshot can be kept in history, sent through JSON, and compared without
 * touching the text again.
 */

/** How a dump labels its rows; see protocol.md §6.3. */
export type LabelStyle =
	/** ≤ v1.8.0: 5 hex digits of the absolute address, masked to 20 bits (`03600`). */
	| 'absolute5'
	/** v1.8.1–v1.19.1: 5 hex digits of the offset in the area, wrapping on heaps of 1 MiB and more. */
	| 'offset5'
	/** ≥ v1.20.0: 8 hex digits of the offset, never wrapping. */
	| 'offset8';

/** One contiguous heap area: one `GC memory layout` (or fork-style `GC area #N`) section of the table. */
export type HeapArea = {
	/** Hex start address as the firmware printed it, without `0x`. */
	address: string;
	/**
	 * One letter per block, in order. Old `t` tails are stored as `=`, every other letter as printed. Elided
	 * rows are one run inside, so read it with `slice` for windows and `forEachRun`/`repeatEnd` for walks.
	 */
	cells: Cells;
	/** Size printed by the unmerged PR #3533 fork header `GC area #N (size S)`; absent elsewhere. */
	declaredBytes?: number;
};

/** A parsed dump: the firmware's own figures, the block map when there was one, and what did not add up. */
export type HeapSnapshot = {
	/** `mem: total=, current=, peak=` appears only with MICROPY_MEM_STATS (unix, qemu). */
	mem?: { totalBytes: number; currentBytes: number; peakBytes: number };
	/** `stack: U out of L`; `limitBytes` is absent when the build has no stack check (`stack: U`). */
	stack?: { usedBytes: number; limitBytes?: number };
	gc: {
		totalBytes: number;
		usedBytes: number;
		freeBytes: number;
		/** `max new split` exists on split-heap-auto ports (esp32, webassembly) from v1.21.0. */
		maxNewSplitBytes?: number;
	};
	/** The ` No. of 1-blocks…` line; absent only in a dump cut off before it. */
	counts?: {
		oneBlock: number;
		twoBlock: number;
		maxBlockBlocks: number;
		/** `max free sz` exists from v1.8.2. */
		maxFreeBlocks?: number;
	};
	/** The block map, one entry per area; empty for a summary-only dump (`mem_info()` without argument). */
	areas: HeapArea[];
	/** What the block map itself shows, counted from the cells; absent for a summary-only dump. */
	map?: MapFigures;
	/** Bytes per block, derived from the label step or from total ÷ cells; absent when nothing tells. */
	bytesPerBlock?: number;
	/** Row label format, when there was a table. */
	labelStyle?: LabelStyle;
	/** True when the table used the pre-v1.8.1 `t` for tails. */
	oldTails?: boolean;
	/**
	 * Set when the figures are not a dump's but the `gc` module's (`gc.mem_alloc()` and `gc.mem_free()` after a
	 * collect), on a firmware without `micropython.mem_info`: CircuitPython, or a minimal MicroPython build.
	 * `mayGrow`: the heap grows from an outer heap (CircuitPython 9+), and gc.mem_free() counts what it can still
	 * grow by, so `gc.totalBytes` (used + mem_free) is the most the heap can reach, not its size now.
	 */
	gcModuleOnly?: { firmware: 'circuitpython' | 'micropython'; mayGrow: boolean };
	/** Plain sentences about what does not add up: a truncated paste, a damaged row, unknown letters. */
	warnings: string[];
	/** The dump's own lines, joined with `\n`, as found in the input. */
	text: string;
};

/** Objects and blocks of one cell letter; blocks count the head and all its `=` tails. */
export type KindCount = { objects: number; blocks: number };

/**
 * The firmware's summary figures rebuilt from the cells (gc.c `gc_info` rules), plus what only the map shows.
 * All quantities are in blocks.
 */
export type MapFigures = {
	blocks: number;
	freeBlocks: number;
	usedBlocks: number;
	/** Allocations exactly one and two blocks long, as ` No. of 1-blocks` / `2-blocks` count them. */
	oneBlock: number;
	twoBlock: number;
	/** Longest allocation, head plus tails. */
	maxBlockBlocks: number;
	/** Longest run of free blocks inside one area (runs never join across areas, as in gc.c). */
	maxFreeBlocks: number;
	/** Number of separate free runs. */
	freeRuns: number;
	/** `freeRunHistogram[k]` counts free runs of length 2^k up to 2^(k+1) − 1 blocks. */
	freeRunHistogram: number[];
	/**
	 * Per head letter (`h T L D S A F B M`, and any other letter as printed): objects, and their blocks with
	 * tails. `.` counts free runs as objects and free blocks as blocks; `=` counts tail cells (objects 0).
	 */
	kinds: Record<string, KindCount>;
	/** `=` cells with no head before them: only a damaged or hand-edited map has these. */
	orphanTailBlocks: number;
	/**
	 * True when the map covers the GC total with a known block size. When false (a cut-off paste, a damaged
	 * map), what only the map tells (largest free run, fragmentation, kinds) is unknown.
	 */
	complete: boolean;
};

/** Why no snapshot could be made from some text. */
export type ParseError = {
	kind: 'no-dump' | 'incomplete';
	message: string;
};

/** A parse that never throws: a snapshot or a typed error. */
export type ParseResult = { ok: true; snapshot: HeapSnapshot } | { ok: false; error: ParseError };
