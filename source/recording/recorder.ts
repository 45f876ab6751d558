import { appendFileSync } from 'node:fs';
import type { HeapSource } from '../sources/source.js';
import { encodeReading } from './format.js';

/**
 * Appends every reading of `source` to `path` as one JSON line. Each line is written synchronously before
 * the next reading can arrive, so a killed heaptop leaves at most a torn last line. Returns a function that
 * stops recording. A write that fails is reported once through `onProblem` and recording stops.
 */
export function recordReadings(source: HeapSource, path: string, onProblem: (message: string) => void): () => void {
	const description = source.describe();
	const unsubscribe = source.subscribe((event) => {
		if (event.type !== 'reading') return;
		const { reading } = event;
		try {
			appendFileSync(
				path,
				encodeReading({
					v: 1,
					atMs: reading.atMs,
					source: description,
					afterCollect: reading.afterCollect,
					text: reading.snapshot.text,
					...(reading.incomplete ? { incomplete: true } : {}),
				}),
			);
		} catch (error) {
			unsubscribe();
			onProblem(`recording to ${path} stopped: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
		}
	});
	return unsubscribe;
}
