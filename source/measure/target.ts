import type { HeapSnapshot } from '../heap/model.js';

/** What running some Python gave: its printed output, and the exception if one escaped. */
export type ExecOutcome = {
	output: string;
	/** The exception class (`MemoryError`…) and MicroPython's traceback text. */
	exception?: { type: string; traceback: string };
};

/**
 * What the guides' measuring technique needs from a heap, on a board or in the emulator: run code, collect,
 * and read the heap. Each call may be slow (a serial round trip), hence promises.
 */
export type MeasureTarget = {
	describe(): string;
	exec(code: string): Promise<ExecOutcome>;
	collect(): Promise<void>;
	/** One parsed `mem_info(1)`; rejects with a one-line Error when there is none. */
	snapshot(): Promise<HeapSnapshot>;
	/**
	 * Bytes in use now (`gc.mem_alloc()`, the same figure as mem_info's `used`), without a collect. Cheap where a
	 * whole dump would cross a slow serial line: a UART board's dump of a full heap takes seconds.
	 */
	usedBytes(): Promise<number>;
};
