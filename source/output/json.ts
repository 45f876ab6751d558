import { analyzeSnapshot } from '../heap/analyze.js';
import type { HeapSnapshot } from '../heap/model.js';
import { kindStyle } from '../present/kinds.js';
import {
	type AreaWhyJson,
	areasToJson,
	type BlockerJson,
	blockersToJson,
	type FitJson,
	fitToJson,
} from './why-json.js';

/**
 * The JSON form of a snapshot: the schema documented in the README, which scripts rely on. Figures come
 * from the firmware's summary lines where it printed them (the map only fills gaps); `null` marks a field
 * that this firmware does not print, so that every path always exists.
 */
export type SnapshotJson = {
	gc: { totalBytes: number; usedBytes: number; freeBytes: number; maxNewSplitBytes: number | null };
	stack: { usedBytes: number | null; limitBytes: number | null };
	mem: { totalBytes: number; currentBytes: number; peakBytes: number } | null;
	blocks: {
		bytesPerBlock: number | null;
		total: number | null;
		oneBlock: number | null;
		twoBlock: number | null;
		maxBlockBlocks: number | null;
		maxFreeBlocks: number | null;
	};
	areas: ({ address: string; blocks: number; bytes: number | null } & AreaWhyJson)[];
	metrics: {
		usedFraction: number;
		largestFreeBlocks: number | null;
		largestAllocatableBytes: number | null;
		fragmentation: number | null;
		maxBlockBytes: number | null;
		stackHeadroomBytes: number | null;
		kinds: Record<string, { name: string; objects: number; blocks: number; bytes: number | null }>;
		freeRunHistogram: { minBlocks: number; maxBlocks: number; runs: number }[];
		/** The objects whose removal would make the longest free runs (why-json.ts). */
		blockers: BlockerJson[];
	};
	/** The answer to `--fit SIZE`; null when no size was asked about. */
	fit: FitJson | null;
	format: { labelStyle: string | null; oldTails: boolean };
	warnings: string[];
	/** The dump as the firmware printed it (sanitised), so that `heaptop inspect` reads this JSON back. */
	dump: string;
};

/** What else to put in: `fitBytes` answers "will this many bytes fit" as `fit`. */
export type SnapshotJsonOptions = { fitBytes?: number };

/** Builds the JSON object of one snapshot. */
export function snapshotToJson(snapshot: HeapSnapshot, options: SnapshotJsonOptions = {}): SnapshotJson {
	const metrics = analyzeSnapshot(snapshot);
	const { gc, stack, counts, map, bytesPerBlock } = snapshot;
	// Figures that only the map tells are null when the map does not cover the heap.
	const whole = map?.complete === true ? map : undefined;
	const areaFigures = areasToJson(snapshot);
	const bytesOf = (blocks: number) => (bytesPerBlock === undefined ? null : blocks * bytesPerBlock);
	const kinds: SnapshotJson['metrics']['kinds'] = {};
	for (const [letter, kind] of Object.entries(metrics.kinds)) {
		kinds[letter] = {
			name: kindStyle(letter).name,
			objects: kind.objects,
			blocks: kind.blocks,
			bytes: kind.bytes ?? null,
		};
	}
	return {
		gc: {
			totalBytes: gc.totalBytes,
			usedBytes: gc.usedBytes,
			freeBytes: gc.freeBytes,
			maxNewSplitBytes: gc.maxNewSplitBytes ?? null,
		},
		stack: { usedBytes: stack?.usedBytes ?? null, limitBytes: stack?.limitBytes ?? null },
		mem: snapshot.mem ?? null,
		blocks: {
			bytesPerBlock: bytesPerBlock ?? null,
			total: map?.blocks ?? null,
			oneBlock: counts?.oneBlock ?? whole?.oneBlock ?? null,
			twoBlock: counts?.twoBlock ?? whole?.twoBlock ?? null,
			maxBlockBlocks: counts?.maxBlockBlocks ?? whole?.maxBlockBlocks ?? null,
			// The firmware's own `max free sz` (v1.8.2 on); the map's longest run is metrics.largestFreeBlocks.
			maxFreeBlocks: counts?.maxFreeBlocks ?? null,
		},
		areas: snapshot.areas.map((area, index) => ({
			address: area.address,
			blocks: area.cells.length,
			bytes: bytesOf(area.cells.length),
			...(areaFigures[index] ?? { freeBytes: null, largestFreeBytes: null }),
		})),
		metrics: {
			usedFraction: metrics.usedFraction,
			largestFreeBlocks: metrics.largestFreeBlocks ?? null,
			largestAllocatableBytes: metrics.largestAllocatableBytes ?? null,
			fragmentation: metrics.fragmentation ?? null,
			maxBlockBytes: metrics.maxBlockBytes ?? null,
			stackHeadroomBytes: metrics.stackHeadroomBytes ?? null,
			kinds,
			freeRunHistogram: metrics.freeRunHistogram,
			blockers: blockersToJson(snapshot),
		},
		fit: options.fitBytes === undefined ? null : fitToJson(snapshot, options.fitBytes),
		format: { labelStyle: snapshot.labelStyle ?? null, oldTails: snapshot.oldTails ?? false },
		warnings: snapshot.warnings,
		dump: snapshot.text,
	};
}
