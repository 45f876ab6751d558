import type { HeapSnapshot } from '../heap/model.js';
import { sanitizeForTerminal } from '../protocol/sanitize.js';
import { snapshotToJson } from './json.js';
import { jsonText } from './json-text.js';
import { formatSnapshotText } from './plain.js';

/** How `--once`, `inspect` and `replay` print: JSON or text, the last snapshot or all of them. */
export type PrintOptions = { json: boolean; all: boolean; color: boolean };

/** The text to print for these snapshots (at least one), newline-terminated. */
export function formatSnapshots(snapshots: readonly HeapSnapshot[], options: PrintOptions): string {
	const chosen = options.all ? snapshots : snapshots.slice(-1);
	if (options.json) {
		const json = options.all ? chosen.map(snapshotToJson) : snapshotToJson(chosen[0] as HeapSnapshot);
		return `${jsonText(json, 2)}\n`;
	}
	if (chosen.length === 1) return sanitizeForTerminal(`${formatSnapshotText(chosen[0] as HeapSnapshot, options)}\n`);
	const parts = chosen.map(
		(snapshot, index) => `── dump ${index + 1} of ${chosen.length} ──\n${formatSnapshotText(snapshot, options)}`,
	);
	return sanitizeForTerminal(`${parts.join('\n\n')}\n`);
}
