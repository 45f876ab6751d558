import type { HeapSnapshot } from './model.js';

/** Objects, blocks and bytes of one cell letter. */
export type KindMetrics = { objects: number; blocks: number; bytes?: number };

/** One bucket of the power-of-two histogram of free runs: runs of `minBlocks` to `maxBlocks` blocks. */
export type FreeRunBucket = { minBlocks: number; maxBlocks: number; runs: number };

/** What a snapshot means for the user: the figures of the guides, each with its unit. */
export type HeapMetrics = {
	bytesPerBlock?: number;
	/** used ÷ total, 0..1. */
	usedFraction: number;
	/** Longest free run: from the summary's `max free sz` when printed, else counted from the map. */
	largestFreeBlocks?: number;
	/** The biggest `bytearray` that can succeed now: longest free run × block size. */
	largestAllocatableBytes?: number;
	/** 1 − longest free run ÷ total free, 0..1: how much of the free memory is unusable for one big object. */
	fragmentation?: number;
	maxBlockBytes?: number;
	/** Per cell letter, from the map; empty for a summary-only dump. */
	kinds: Record<string, KindMetrics>;
	freeRunHistogram: FreeRunBucket[];
	/** Limit minus used, when the firmware prints a stack limit. */
	stackHeadroomBytes?: number;
	/**
	 * True when there is a map but it does not cover the GC total (a cut-off paste, a damaged dump): what
	 * only the map could tell (largest free run without `max free sz`, fragmentation, kinds) is unknown.
	 */
	mapCutOff: boolean;
};

/** Derives the metrics of one snapshot. Pure; summary figures win over map counts, as the firmware's own. */
export function analyzeSnapshot(snapshot: HeapSnapshot): HeapMetrics {
	const { gc, counts, map, bytesPerBlock, stack } = snapshot;
	const whole = map?.complete === true ? map : undefined;
	const metrics: HeapMetrics = {
		usedFraction: gc.totalBytes > 0 ? gc.usedBytes / gc.totalBytes : 0,
		kinds: {},
		freeRunHistogram: [],
		mapCutOff: map !== undefined && !map.complete,
	};
	if (bytesPerBlock !== undefined) metrics.bytesPerBlock = bytesPerBlock;
	const largestFreeBlocks = largestFreeOf(snapshot);
	if (largestFreeBlocks !== undefined) {
		metrics.largestFreeBlocks = largestFreeBlocks;
		if (bytesPerBlock !== undefined) {
			const largestFreeBytes = largestFreeBlocks * bytesPerBlock;
			metrics.largestAllocatableBytes = largestFreeBytes;
			metrics.fragmentation = gc.freeBytes > 0 ? Math.max(0, 1 - largestFreeBytes / gc.freeBytes) : 0;
		}
	}
	const maxBlockBlocks = counts?.maxBlockBlocks ?? whole?.maxBlockBlocks;
	if (maxBlockBlocks !== undefined && bytesPerBlock !== undefined) {
		metrics.maxBlockBytes = maxBlockBlocks * bytesPerBlock;
	}
	if (whole) {
		for (const [letter, kind] of Object.entries(whole.kinds)) {
			metrics.kinds[letter] =
				bytesPerBlock === undefined ? { ...kind } : { ...kind, bytes: kind.blocks * bytesPerBlock };
		}
		metrics.freeRunHistogram = whole.freeRunHistogram.map((runs, power) => ({
			minBlocks: 2 ** power,
			maxBlocks: 2 ** (power + 1) - 1,
			runs,
		}));
	}
	if (stack?.limitBytes !== undefined) metrics.stackHeadroomBytes = stack.limitBytes - stack.usedBytes;
	return metrics;
}

/** The few figures of a reading that its history keeps: what the sparklines and low-water marks need. */
export type HistoryPoint = {
	atMs: number;
	afterCollect: boolean;
	usedBytes: number;
	freeBytes: number;
	/** Longest free run in blocks, when the dump tells it. */
	largestFreeBlocks?: number;
	/** Longest free run in bytes, when the block size is known too. */
	largestFreeBytes?: number;
	/**
	 * Set on the first point after the board was reset (a soft reboot seen, the board identified anew): a new
	 * segment of the history, which no peak, low or trend spans.
	 */
	segmentStart?: boolean;
};

/** The figures of one snapshot for its history. */
export function pointOf(snapshot: HeapSnapshot, atMs: number, afterCollect: boolean): HistoryPoint {
	const point: HistoryPoint = {
		atMs,
		afterCollect,
		usedBytes: snapshot.gc.usedBytes,
		freeBytes: snapshot.gc.freeBytes,
	};
	const largestFreeBlocks = largestFreeOf(snapshot);
	if (largestFreeBlocks !== undefined) {
		point.largestFreeBlocks = largestFreeBlocks;
		if (snapshot.bytesPerBlock !== undefined) point.largestFreeBytes = largestFreeBlocks * snapshot.bytesPerBlock;
	}
	return point;
}

/**
 * The longest free run in blocks: the firmware's `max free sz` when printed, else the map's, but only from a
 * map that covers the whole heap (a cut-off map has not shown its longest run yet).
 */
export function largestFreeOf(snapshot: HeapSnapshot): number | undefined {
	if (snapshot.counts?.maxFreeBlocks !== undefined) return snapshot.counts.maxFreeBlocks;
	return snapshot.map?.complete === true ? snapshot.map.maxFreeBlocks : undefined;
}
