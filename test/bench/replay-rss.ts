/**
 * Run by the bench in a process of its own, so that nothing else it measured counts: loads the recording
 * given as argument for replay, as `heaptop replay FILE` does, then steps through it as `]` and a jump (Home,
 * End) do, each with the reading before it that the diff needs. Prints one JSON line.
 */

import { createReplaySource } from '../../source/sources/replay.js';
import { median } from './measure.js';

const source = createReplaySource(process.argv[2] ?? '');
globalThis.gc?.();
const startMb = process.memoryUsage().rss / 1024 / 1024;
const started = performance.now();
await source.start();
const loadMs = performance.now() - started;
globalThis.gc?.();
const rssMb = process.memoryUsage().rss / 1024 / 1024;
const { replay } = source;
const count = replay.points().length;
/** What the TUI does on a reading: shows it and looks up the one before it. */
const show = (index: number) => {
	const at = replay.seek(index);
	replay.reading(at - 1);
};
const steps: number[] = [];
const jumps: number[] = [];
for (let run = 0; run < 200; run++) {
	// Spread over the recording, so that every kind of dump it holds is shown.
	const from = Math.floor(((run * 7919) % 200) * ((count - 2) / 200));
	show(from);
	let before = performance.now();
	show(from + 1);
	steps.push(performance.now() - before);
	before = performance.now();
	show((from + count / 2) % count);
	jumps.push(performance.now() - before);
}
await source.close();
process.stdout.write(
	`${JSON.stringify({
		startMb,
		loadMs,
		rssMb,
		peakMb: process.resourceUsage().maxRSS / 1024,
		count,
		stepMs: median(steps),
		jumpMs: median(jumps),
	})}\n`,
);
