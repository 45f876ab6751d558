import type { Writable } from 'node:stream';
import { fitExitCode, formatSnapshots } from '../output/print.js';
import { createReplaySource } from '../sources/replay.js';
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
	await source.close();
	if (snapshots.length === 0) throw new UsageError(`${options.path}: no readings in this recording`);
	options.stdout.write(formatSnapshots(snapshots, options));
	return fitExitCode(snapshots, options);
}
