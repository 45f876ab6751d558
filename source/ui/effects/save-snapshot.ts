import { unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { snapshotToJson } from '../../output/json.js';
import { jsonText } from '../../output/json-text.js';
import { sanitizeText } from '../../protocol/sanitize.js';
import type { Reading } from '../../sources/source.js';

/** Where `s` wrote a snapshot. */
export type SavedFiles = { textPath: string; jsonPath: string };

/** `heaptop-20261122-024512` for a reading taken at that UTC time. */
export function snapshotBaseName(atMs: number): string {
	const date = new Date(atMs);
	// A replayed reading's time can be no date at all (1e300 in a damaged recording).
	if (Number.isNaN(date.getTime())) return 'heaptop-unknown-time';
	const iso = date.toISOString(); // 2026-11-22T02:45:12.345Z
	return `heaptop-${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}`;
}

/**
 * Writes the reading's raw dump (as the board printed it) and a JSON file with the snapshot as `--json`
 * prints it, dump included, into `directory`; `heaptop inspect` reads either back. Files of an earlier save in the same second get a
 * numeric suffix rather than being overwritten.
 */
export async function saveReading(reading: Reading, directory: string): Promise<SavedFiles> {
	const base = snapshotBaseName(reading.atMs);
	for (let attempt = 0; ; attempt++) {
		const name = attempt === 0 ? base : `${base}-${attempt + 1}`;
		const textPath = join(directory, `${name}.txt`);
		const jsonPath = join(directory, `${name}.json`);
		// 'wx' is O_CREAT|O_EXCL: it fails when the name exists, a symlink included (dangling or not), so a save
		// never follows a planted link and never overwrites; a taken name moves on to the next suffix.
		// The dump as the board printed it, under the one sanitising rule: `cat` of the file must not let a
		// board's escape sequence reach the terminal. Newlines and tabs stay, so inspect reads it back.
		if (!(await createExclusive(textPath, `${sanitizeText(reading.snapshot.text)}\n`, attempt))) continue;
		const json = {
			atMs: reading.atMs,
			at: Number.isNaN(new Date(reading.atMs).getTime()) ? null : new Date(reading.atMs).toISOString(),
			afterCollect: reading.afterCollect,
			incomplete: reading.incomplete ?? false,
			// The README's JSON schema, as --json prints it, with the dump in it: inspect reads the file back.
			snapshot: snapshotToJson(reading.snapshot),
		};
		if (!(await createExclusive(jsonPath, `${jsonText(json, '\t')}\n`, attempt))) {
			// The pair shares one name: give the text file back and take the next name for both.
			await unlink(textPath);
			continue;
		}
		return { textPath, jsonPath };
	}
}

/** Creates `path` with `text`; false when the name is taken (and tries are left), else the error. */
async function createExclusive(path: string, text: string, attempt: number): Promise<boolean> {
	try {
		await writeFile(path, text, { flag: 'wx' });
		return true;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'EEXIST' && attempt < 100) return false;
		throw error;
	}
}
