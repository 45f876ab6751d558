import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseMemInfo } from '../heap/parse.js';
import { decodeRecording } from '../recording/format.js';
import type { HeapSource, Reading, ReplayControls, SourceEvent } from './source.js';

/** A recording opened for replay: a source whose replay controls are always there. */
export type ReplaySource = HeapSource & { readonly replay: ReplayControls };

/**
 * A recording made with `--record`, as a source. `start()` reads the whole file, reports the lines that
 * cannot be read back as problems, and shows the last reading, as `replay --once` prints it; the replay
 * controls then move through the rest. Every reading stays parsed in memory (about twice the file's size),
 * so that stepping never waits for the disk.
 */
export function createReplaySource(path: string): ReplaySource {
	const listeners = new Set<(event: SourceEvent) => void>();
	const all: Reading[] = [];
	let cursor = -1;
	let description = `recording ${basename(path)}`;
	const emit = (event: SourceEvent) => {
		for (const listener of listeners) listener(event);
	};

	const replay: ReplayControls = {
		readings: () => all,
		cursor: () => cursor,
		seek(index) {
			if (all.length === 0) return -1;
			const target = Math.max(0, Math.min(all.length - 1, Math.trunc(index)));
			if (target === cursor) return cursor;
			cursor = target;
			const reading = all[cursor];
			if (reading) emit({ type: 'reading', reading });
			return cursor;
		},
	};

	return {
		canRead: false,
		replay,
		describe: () => description,
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
				description = `recording ${basename(path)} · ${recorded.source}`;
			}
			if (all.length === 0) {
				emit({ type: 'status', status: 'error', message: `${path}: no readings in this recording` });
				return;
			}
			emit({ type: 'status', status: 'live' });
			replay.seek(all.length - 1);
		},
		async read() {
			return cursor < 0 ? undefined : all[cursor];
		},
		async close() {
			listeners.clear();
		},
	};
}
