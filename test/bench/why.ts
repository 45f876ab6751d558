import { findBlockers } from '../../source/heap/blockers.js';
import { fitAllocation } from '../../source/heap/fit.js';
import type { HeapSnapshot } from '../../source/heap/model.js';
import { parseMemInfo } from '../../source/heap/parse.js';
import { pinAfter, pinnedBlockers } from '../../source/heap/pinned.js';
import { makeBigDump } from './make-big-dump.js';
import { type BenchRow, median } from './measure.js';

/** Parses a dump, or says why the bench cannot run. */
function parse(text: string): HeapSnapshot {
	const parsed = parseMemInfo(text);
	if (!parsed.ok) throw new Error(`the VM's dump did not parse: ${parsed.error.message}`);
	return parsed.snapshot;
}

/**
 * Blockers, pinned (two readings) and fit (a size that does not fit, so the cheapest window is searched too)
 * on the 8 MiB heap, each from freshly parsed snapshots, so that reading the map into runs is counted.
 */
export async function benchWhy(): Promise<BenchRow[]> {
	const text = await makeBigDump();
	const probe = parse(text);
	const blocks = probe.map?.blocks ?? 0;
	const bytesPerBlock = probe.bytesPerBlock ?? 16;
	// One block more than the longest free run: it does not fit, the slowest answer.
	const fitBytes = ((probe.map?.maxFreeBlocks ?? 0) + 1) * bytesPerBlock;
	const times = { blockers: [] as number[], pinned: [] as number[], fit: [] as number[], all: [] as number[] };
	let objects = 0;
	for (let run = 0; run < 16; run++) {
		const first = parse(text);
		const second = parse(text);
		// Parsing two 8 MiB dumps leaves garbage behind: collect it now, so its pause is not charged to the analyses.
		(globalThis as { gc?: () => void }).gc?.();
		const start = performance.now();
		findBlockers(second);
		const afterBlockers = performance.now();
		const pinned = pinAfter(pinAfter(undefined, first), second);
		pinnedBlockers(pinned, second);
		const afterPinned = performance.now();
		const fit = fitAllocation(second, fitBytes);
		const end = performance.now();
		// The VM's heap could grow (max new split), but no area of the map holds it: the cheapest window is searched.
		if (!fit.ok || fit.answer.at || !fit.answer.cheapest)
			throw new Error('the bench size was meant not to fit the map');
		objects = pinned.areas.reduce((sum, area) => sum + area.count, 0);
		// The first run warms the JIT up; it is not counted.
		if (run === 0) continue;
		times.blockers.push(afterBlockers - start);
		times.pinned.push(afterPinned - afterBlockers);
		times.fit.push(end - afterPinned);
		times.all.push(end - start);
	}
	const all = median(times.all);
	return [
		{
			name: 'blockers on the 8 MiB heap',
			value: median(times.blockers),
			unit: 'ms',
			note: `${blocks.toLocaleString('en-US')} blocks, ${objects.toLocaleString('en-US')} objects; includes reading the map into runs`,
		},
		{ name: 'pinned across two readings + pinned blockers', value: median(times.pinned), unit: 'ms' },
		{
			name: `fit ${fitBytes.toLocaleString('en-US')} B (no fit: cheapest window)`,
			value: median(times.fit),
			unit: 'ms',
		},
		{ name: 'blockers + pinned + fit together', value: all, unit: 'ms', note: 'aim < 50 ms' },
	];
}
