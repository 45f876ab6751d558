import { defaultBlockerCount, findBlockers } from '../heap/blockers.js';
import { areaFigures, type FitResult, fitAllocation } from '../heap/fit.js';
import type { HeapSnapshot } from '../heap/model.js';
import { fitProblemText } from '../present/why.js';

/**
 * The JSON of the "why" analyses, documented in the README's schema: `fit` for `--fit SIZE`,
 * `metrics.blockers` and the per-area figures on every snapshot. Offsets are bytes from the area's start.
 */

/** `fit`: the answer for one size, or, when the map cannot tell, `fits: null` and the reason. */
export type FitJson = {
	bytes: number;
	blocks: number | null;
	fits: boolean | null;
	/** Where gc_alloc would put it. */
	at: { area: number; offsetBytes: number } | null;
	/** True when it fits only in a new area the port would add (split-heap-auto, `max new split`). */
	newArea: boolean;
	/** When it fits in no area: the window with the fewest allocated bytes in the way, and those objects. */
	cheapest: {
		area: number;
		offsetBytes: number;
		allocatedBytes: number;
		objectCount: number;
		objects: { offsetBytes: number; kind: string; bytes: number }[];
	} | null;
	/** Why `fits` is null. */
	unknown: string | null;
};

/** One of `metrics.blockers`. */
export type BlockerJson = {
	area: number;
	offsetBytes: number | null;
	kind: string;
	bytes: number | null;
	largestFreeIfFreedBytes: number | null;
};

/** The per-area figures added to `areas[]`. */
export type AreaWhyJson = { freeBytes: number | null; largestFreeBytes: number | null };

/** `fit` for `bytes`, from an answer already made or made here. */
export function fitToJson(
	snapshot: HeapSnapshot,
	bytes: number,
	result: FitResult = fitAllocation(snapshot, bytes),
): FitJson {
	if (!result.ok) {
		return {
			bytes,
			blocks: null,
			fits: null,
			at: null,
			newArea: false,
			cheapest: null,
			unknown: fitProblemText(result.problem),
		};
	}
	const { answer } = result;
	return {
		bytes,
		blocks: answer.blocks,
		fits: answer.fits,
		at: answer.at ? { area: answer.at.area, offsetBytes: answer.at.offsetBytes } : null,
		newArea: answer.newArea ?? false,
		cheapest: answer.cheapest
			? {
					area: answer.cheapest.area,
					offsetBytes: answer.cheapest.offsetBytes,
					allocatedBytes: answer.cheapest.allocatedBytes,
					objectCount: answer.cheapest.objectCount,
					objects: answer.cheapest.objects.map(({ offsetBytes, kind, bytes: objectBytes }) => ({
						offsetBytes,
						kind,
						bytes: objectBytes,
					})),
				}
			: null,
		unknown: null,
	};
}

/** `metrics.blockers`: the objects whose removal would make the longest free runs, longest first. */
export function blockersToJson(snapshot: HeapSnapshot, limit = defaultBlockerCount): BlockerJson[] {
	const bytesPerBlock = snapshot.bytesPerBlock;
	const bytes = (blocks: number) => (bytesPerBlock === undefined ? null : blocks * bytesPerBlock);
	// On a map that does not cover the heap, a longer free run may lie in the part that is missing.
	const whole = snapshot.map?.complete === true;
	return findBlockers(snapshot, limit).map((blocker) => ({
		area: blocker.area,
		offsetBytes: bytes(blocker.block),
		kind: blocker.kind,
		bytes: bytes(blocker.blocks),
		largestFreeIfFreedBytes: whole ? bytes(blocker.largestFreeIfFreedBlocks) : null,
	}));
}

/** `freeBytes` and `largestFreeBytes` of each area, in dump order. */
export function areasToJson(snapshot: HeapSnapshot): AreaWhyJson[] {
	const bytesPerBlock = snapshot.bytesPerBlock;
	return areaFigures(snapshot).map((area) =>
		bytesPerBlock === undefined
			? { freeBytes: null, largestFreeBytes: null }
			: { freeBytes: area.freeBlocks * bytesPerBlock, largestFreeBytes: area.largestFreeBlocks * bytesPerBlock },
	);
}
