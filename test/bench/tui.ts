import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HeapSnapshot } from '../../source/heap/model.js';
import { parseMemInfo } from '../../source/heap/parse.js';
import { importBundled } from './bundled.js';
import type * as FrameModule from './frame.js';
import { makeBigDump } from './make-big-dump.js';
import { type BenchRow, median, timeMs } from './measure.js';

/** One frame of an 8 MiB heap at 200×60, and memory after 1,000 snapshots through the TUI's history. */
export async function benchTui(): Promise<BenchRow[]> {
	const text = await makeBigDump();
	const parsed = parseMemInfo(text);
	if (!parsed.ok) throw new Error(parsed.error.message);
	const snapshot: HeapSnapshot = parsed.snapshot;
	const rows: BenchRow[] = [];

	// Timed as shipped: bundled as npm run build bundles it (Ink inside, with its ANSI diff's fast path).
	const { createFrameBench } = await importBundled<typeof FrameModule>(
		new URL('./frame.tsx', import.meta.url).pathname,
	);
	const bench = createFrameBench(snapshot, 200, 60);
	let scroll = 0;
	// Each frame scrolls one line, so nothing is served from the previous frame's rows.
	const frameMs = median(timeMs(() => bench.frame(scroll++ % 4000), 60));
	const zoomMs = median(timeMs(() => bench.frame(0, 8), 30));
	bench.close();
	rows.push({
		name: 'one frame, 8 MiB heap at 200×60',
		value: frameMs,
		unit: 'ms',
		note: 'scrolling a line a frame (aim ≤ 16 ms)',
	});
	rows.push({ name: 'one frame, same, zoomed 8 blocks a cell', value: zoomMs, unit: 'ms' });

	const dumpFile = join(tmpdir(), 'heaptop-bench-history.txt');
	writeFileSync(dumpFile, text, 'latin1');
	// Memory in a process of its own: the VM and dumps of this one would count otherwise.
	const child = spawnSync(
		process.execPath,
		['--expose-gc', '--import', 'tsx', new URL('./history-rss.ts', import.meta.url).pathname, dumpFile],
		{
			encoding: 'utf8',
		},
	);
	rmSync(dumpFile, { force: true });
	if (child.status !== 0) {
		rows.push({
			name: 'RSS after 1,000 snapshots',
			value: Number.NaN,
			unit: 'MB',
			note: `failed: ${child.stderr.trim().split('\n').at(-1)}`,
		});
		return rows;
	}
	const memory = JSON.parse(child.stdout) as {
		startMb: number;
		rssMb: number;
		justAfterMb: number;
		peakMb: number;
		heapMb: number;
		points: number;
		maps: number;
	};
	rows.push({
		name: 'RSS after 1,000 snapshots of 8 MiB in history',
		value: memory.rssMb,
		unit: 'MB',
		note: `whole process, settled after a collect (${memory.justAfterMb.toFixed(0)} MB just after it, ${memory.peakMb.toFixed(0)} MB at the peak, ${memory.heapMb.toFixed(0)} MB of live JS heap); ${memory.points} points, ${memory.maps} maps kept; ${memory.startMb.toFixed(0)} MB before the first (aim ≤ 150 MB)`,
	});
	return rows;
}
