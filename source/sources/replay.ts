import { readFile } from 'node:fs/promises';
import { parseMemInfo } from '../heap/parse.js';
import { decodeRecording } from '../recording/format.js';
import type { HeapSource, Reading, SourceEvent } from './source.js';

/** A recording opened for replay: every reading in order, plus what could not be read back. */
export type ReplaySource = HeapSource & {
	/** All readings of the recording, oldest first; filled by `start()`. */
	readings(): Reading[];
};

/**
 * A recording made with `--record`, as a source. `start()` reads the file and emits every reading in order,
 * so that history covers the whole recording; lines that cannot be read back are reported as problems.
 */
export function createReplaySource(path: string): ReplaySource {
	const listeners = new Set<(event: SourceEvent) => void>();
	const all: Reading[] = [];
	let description = `recording ${path}`;
	const emit = (event: SourceEvent) => {
		for (const listener of listeners) listener(event);
	};

	return {
		canRead: false,
		describe: () => description,
		readings: () => all,
		subscribe(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		async start() {
			emit({ type: 'status', status: 'connecting' });
			let text: string;
			try {
				text = await readFile(path, 'utf8');
			} catch (error) {
				const code = (error as NodeJS.ErrnoException).code;
				emit({
					type: 'status',
					status: 'error',
					message: `cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : code}`,
				});
				return;
			}
			const { readings, skipped } = decodeRecording(text);
			for (const entry of skipped) emit({ type: 'problem', message: `${path} line ${entry.line}: ${entry.reason}` });
			for (const recorded of readings) {
				const parsed = parseMemInfo(recorded.text);
				if (!parsed.ok) {
					emit({
						type: 'problem',
						message: `${path}: a reading at ${recorded.atMs} has no dump: ${parsed.error.message}`,
					});
					continue;
				}
				const reading: Reading = {
					snapshot: parsed.snapshot,
					atMs: recorded.atMs,
					afterCollect: recorded.afterCollect,
					...(recorded.incomplete ? { incomplete: true } : {}),
				};
				all.push(reading);
				description = `recording ${path} · ${recorded.source}`;
			}
			emit({ type: 'status', status: 'live', message: `${all.length} readings` });
			for (const reading of all) emit({ type: 'reading', reading });
		},
		async read() {
			return all[all.length - 1];
		},
		async close() {
			listeners.clear();
		},
	};
}
