import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeBigRecording } from './make-big-recording.js';
import type { BenchRow } from './measure.js';

/** Readings in the recording replayed: a demo session read every second for five and a half hours. */
const READINGS = 20_000;

/** Loading a long recording of the demo for replay: time, memory, and a step through it. */
export async function benchReplay(): Promise<BenchRow[]> {
	const path = join(tmpdir(), `heaptop-bench-replay-${process.pid}.jsonl`);
	const { bytes, distinct } = await makeBigRecording(path, READINGS);
	// Memory in a process of its own: the emulator that made the recording would count otherwise.
	const child = spawnSync(
		process.execPath,
		['--expose-gc', '--import', 'tsx', new URL('./replay-rss.ts', import.meta.url).pathname, path],
		{ encoding: 'utf8' },
	);
	rmSync(path, { force: true });
	const size = `${READINGS.toLocaleString('en')} readings, ${(bytes / 1e6).toFixed(0)} MB`;
	if (child.status !== 0) {
		const reason = child.stderr.trim().split('\n').at(-1);
		return [{ name: `replay load, ${size}`, value: Number.NaN, unit: 'ms', note: `failed: ${reason}` }];
	}
	const replay = JSON.parse(child.stdout) as {
		startMb: number;
		loadMs: number;
		rssMb: number;
		peakMb: number;
		count: number;
		stepMs: number;
		jumpMs: number;
	};
	return [
		{
			name: `replay load, ${size}`,
			value: replay.loadMs,
			unit: 'ms',
			note: `${distinct} distinct dumps of the 192 KiB demo heap, ${replay.count.toLocaleString('en')} readings loaded`,
		},
		{
			name: 'RSS after the replay has loaded',
			value: replay.rssMb,
			unit: 'MB',
			note: `whole process; ${replay.startMb.toFixed(0)} MB before, peak ${replay.peakMb.toFixed(0)} MB (aim ≤ 150 MB)`,
		},
		{
			name: 'replay step ], the reading and its diff base',
			value: replay.stepMs,
			unit: 'ms',
			note: 'one dump read and parsed again (aim ≤ 16 ms, a frame)',
		},
		{ name: 'replay jump (Home, End): two dumps parsed', value: replay.jumpMs, unit: 'ms' },
	];
}
