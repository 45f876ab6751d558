import { fitAllocation } from '../heap/fit.js';
import type { HeapSnapshot } from '../heap/model.js';
import { sanitizeForTerminal } from '../protocol/sanitize.js';
import { snapshotToJson } from './json.js';
import { jsonText } from './json-text.js';
import { formatSnapshotText } from './plain.js';
import { formatFitAnswerRows } from './why-plain.js';

/**
 * How `--once`, `inspect` and `replay` print: JSON or text, the last snapshot or all of them. With
 * `fitBytes` (`--fit SIZE`), the text is the answer and what stands in its way, not the whole snapshot.
 */
export type PrintOptions = { json: boolean; all: boolean; color: boolean; fitBytes?: number };

/** The text of one snapshot: the whole of it, or with `fitBytes` the answer and the blockers. */
function snapshotText(snapshot: HeapSnapshot, options: PrintOptions): string {
	if (options.fitBytes === undefined) return formatSnapshotText(snapshot, options);
	return formatFitAnswerRows(snapshot, options.fitBytes, options).join('\n');
}

/** The text to print for these snapshots (at least one), newline-terminated. */
export function formatSnapshots(snapshots: readonly HeapSnapshot[], options: PrintOptions): string {
	const chosen = options.all ? snapshots : snapshots.slice(-1);
	if (options.json) {
		const toJson = (snapshot: HeapSnapshot) =>
			snapshotToJson(snapshot, options.fitBytes === undefined ? {} : { fitBytes: options.fitBytes });
		const json = options.all ? chosen.map(toJson) : toJson(chosen[0] as HeapSnapshot);
		return `${jsonText(json, 2)}
`;
	}
	if (chosen.length === 1)
		return sanitizeForTerminal(`${snapshotText(chosen[0] as HeapSnapshot, options)}
`);
	const parts = chosen.map(
		(snapshot, index) => `── dump ${index + 1} of ${chosen.length} ──\n${snapshotText(snapshot, options)}`,
	);
	return sanitizeForTerminal(`${parts.join('\n\n')}\n`);
}

/**
 * The exit status `--fit` asks for over the snapshots printed: 0 when the size fits in each, 1 when it does
 * not fit in one, 2 when a map cannot tell (no block map, no block size), which is bad input, not "no".
 */
export function fitExitCode(snapshots: readonly HeapSnapshot[], options: PrintOptions): 0 | 1 | 2 {
	if (options.fitBytes === undefined) return 0;
	let code: 0 | 1 | 2 = 0;
	for (const snapshot of options.all ? snapshots : snapshots.slice(-1)) {
		const result = fitAllocation(snapshot, options.fitBytes);
		if (!result.ok) code = 2;
		else if (!result.answer.fits && code === 0) code = 1;
	}
	return code;
}
