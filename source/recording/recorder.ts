import { closeSync, constants, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import type { HeapSource, Reading } from '../sources/source.js';
import { encodeReading, FORMAT_VERSION } from './format.js';

/** Writes readings to a recording file, one JSON line each; `stop` closes it. */
export type Recorder = { write(reading: Reading): void; stop(): void };

/**
 * Appends readings to `path` as one JSON line each. Each line is written synchronously, so a killed heaptop
 * leaves at most a torn last line; appending to such a file starts on a new line, so that the torn line costs
 * itself alone. The file is opened at the first line, never through a symlink. A write that fails is reported
 * once through `onProblem` and recording stops.
 */
export function createRecorder(description: string, path: string, onProblem: (message: string) => void): Recorder {
	let fd: number | undefined;
	let stopped = false;
	const stop = () => {
		stopped = true;
		if (fd !== undefined) closeSync(fd);
		fd = undefined;
	};
	return {
		write(reading) {
			if (stopped) return;
			try {
				let prefix = '';
				if (fd === undefined) {
					fd = openSync(
						path,
						constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW,
						0o644,
					);
					if (endsTorn(path)) prefix = '\n';
				}
				writeSync(
					fd,
					prefix +
						encodeReading({
							v: FORMAT_VERSION,
							atMs: reading.atMs,
							source: description,
							afterCollect: reading.afterCollect,
							text: reading.snapshot.text,
							...(reading.incomplete ? { incomplete: true } : {}),
						}),
				);
			} catch (error) {
				stop();
				const code = (error as NodeJS.ErrnoException).code;
				const why = code === 'ELOOP' ? 'it is a symbolic link, which heaptop does not write through' : code;
				onProblem(`recording to ${path} stopped: ${why ?? String(error)}`);
			}
		},
		stop,
	};
}

/**
 * Records every reading `source` reports, as the live screen shows each one. Returns a function that stops
 * recording. The printing commands record what they print instead (`createRecorder`), so that a recording
 * holds the same readings as their output, not one more that came while they were closing.
 */
export function recordReadings(source: HeapSource, path: string, onProblem: (message: string) => void): () => void {
	const recorder = createRecorder(source.describe(), path, onProblem);
	const unsubscribe = source.subscribe((event) => {
		if (event.type === 'reading') recorder.write(event.reading);
	});
	return () => {
		unsubscribe();
		recorder.stop();
	};
}

/** True when the file holds something and its last byte is no newline: a line torn by a killed heaptop. */
function endsTorn(path: string): boolean {
	const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
	try {
		const size = fstatSync(fd).size;
		if (size === 0) return false;
		const last = Buffer.alloc(1);
		readSync(fd, last, 0, 1, size - 1);
		return last[0] !== 0x0a;
	} finally {
		closeSync(fd);
	}
}
