import type { Writable } from 'node:stream';
import { type PinnedSet, pinAfter } from '../heap/pinned.js';
import { leakVerdict, type Verdict, verdictWindow } from '../heap/verdict.js';
import { fitExitCode, formatSnapshots } from '../output/print.js';
import { formatSeriesRows } from '../output/why-plain.js';
import { sanitizeForTerminal } from '../protocol/sanitize.js';
import { createReplaySource } from '../sources/replay.js';
import type { ReplayControls } from '../sources/source.js';
import { UsageError } from './errors.js';

/** `heaptop replay FILE --once`: prints the last reading of a recording, or every one with `all`. */
export async function replayOnceCommand(options: {
	path: string;
	json: boolean;
	all: boolean;
	color: boolean;
	/** `--fit SIZE`: the answer for the reading printed, and the exit status. */
	fitBytes?: number;
	stdout: Writable;
	stderr: Writable;
}): Promise<number> {
	const source = createReplaySource(options.path);
	let failure: string | undefined;
	source.subscribe((event) => {
		if (event.type === 'status' && event.status === 'error') failure = event.message;
		// Torn or foreign lines are worth one line each on stderr; the readings around them still print.
		if (event.type === 'problem') options.stderr.write(`heaptop: ${event.message}\n`);
	});
	await source.start();
	// A recording that could not be loaded has closed its file already.
	if (failure !== undefined) throw new UsageError(failure);
	const { replay } = source;
	const count = replay.points().length;
	// Only the readings printed are parsed again: the last one, or with `all` every one in turn.
	const indexes = options.all ? Array.from({ length: count }, (_, index) => index) : count > 0 ? [count - 1] : [];
	const snapshots = indexes.flatMap((index) => {
		const reading = replay.reading(index);
		return reading ? [reading.snapshot] : [];
	});
	// What the recording says over time: the verdict from every after-collect reading, and what stayed in place
	// through the last few of them (each parsed again, one at a time, so memory stays one map's worth).
	const series = options.json || options.fitBytes !== undefined ? undefined : seriesOf(replay);
	await source.close();
	if (snapshots.length === 0) throw new UsageError(`${options.path}: no readings in this recording`);
	options.stdout.write(formatSnapshots(snapshots, options));
	const latest = snapshots[snapshots.length - 1];
	if (series && latest) {
		const rows = formatSeriesRows(series.verdict, series.pinned, latest, options);
		options.stdout.write(`${sanitizeForTerminal(rows.join('\n'))}\n`);
	}
	return fitExitCode(snapshots, options);
}

/** The verdict over a recording's readings, and the objects pinned through its last after-collect readings. */
function seriesOf(replay: ReplayControls): { verdict: Verdict; pinned: PinnedSet | undefined } {
	const points = replay.points();
	const verdict = leakVerdict(points);
	const collected: number[] = [];
	points.forEach((point, index) => {
		if (point.afterCollect) collected.push(index);
	});
	let pinned: PinnedSet | undefined;
	for (const index of collected.slice(-verdictWindow)) {
		const reading = replay.reading(index);
		if (reading && reading.snapshot.areas.length > 0 && !reading.incomplete)
			pinned = pinAfter(pinned, reading.snapshot);
	}
	return { verdict, pinned };
}
