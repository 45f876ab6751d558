import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { analyzeSnapshot } from '../../heap/analyze.js';
import type { Reading } from '../../sources/source.js';

/** Where `s` wrote a snapshot. */
export type SavedFiles = { textPath: string; jsonPath: string };

/** `heaptop-20261122-024512` for a reading taken at that UTC time. */
export function snapshotBaseName(atMs: number): string {
	const iso = new Date(atMs).toISOString(); // 2026-11-22T02:45:12.345Z
	return `heaptop-${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}`;
}

/**
 * Writes the reading's raw dump (as the board printed it, so `heaptop inspect` reads it back) and a JSON file
 * with the parsed snapshot and its metrics into `directory`. Files of an earlier save in the same second get a
 * numeric suffix rather than being overwritten.
 */
export async function saveReading(reading: Reading, directory: string): Promise<SavedFiles> {
	const base = snapshotBaseName(reading.atMs);
	for (let attempt = 0; ; attempt++) {
		const name = attempt === 0 ? base : `${base}-${attempt + 1}`;
		const textPath = join(directory, `${name}.txt`);
		const jsonPath = join(directory, `${name}.json`);
		try {
			// 'wx' fails when the file exists, so two saves in one second never clobber each other.
			await writeFile(textPath, `${reading.snapshot.text}\n`, { flag: 'wx' });
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'EEXIST' && attempt < 100) continue;
			throw error;
		}
		const json = {
			atMs: reading.atMs,
			at: new Date(reading.atMs).toISOString(),
			afterCollect: reading.afterCollect,
			incomplete: reading.incomplete ?? false,
			snapshot: reading.snapshot,
			metrics: analyzeSnapshot(reading.snapshot),
		};
		await writeFile(jsonPath, `${JSON.stringify(json, null, '\t')}\n`);
		return { textPath, jsonPath };
	}
}
