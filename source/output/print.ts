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

/**
 * Prints snapshots as they come: with `all`, each one at once (text under a `── dump N ──` line, JSON as
 * the next item of one array), so that a long log prints while it is read; without, only the last, at the
 * end. Each piece of text is returned for the caller to write; it has passed the sanitising rule.
 */
export type SnapshotPrinter = {
	add(snapshot: HeapSnapshot): string;
	/** What is left to print; `undefined` when no snapshot came at all. */
	end(): string | undefined;
	/** `fitExitCode` over the snapshots printed (0 without `fitBytes`). */
	exitCode(): 0 | 1 | 2;
};

export function createSnapshotPrinter(options: PrintOptions): SnapshotPrinter {
	let last: HeapSnapshot | undefined;
	let count = 0;
	let code: 0 | 1 | 2 = 0;
	const json = (snapshot: HeapSnapshot) =>
		snapshotToJson(snapshot, options.fitBytes === undefined ? {} : { fitBytes: options.fitBytes });
	const one = (snapshot: HeapSnapshot) =>
		options.json ? jsonText(json(snapshot), 2) : sanitizeForTerminal(snapshotText(snapshot, options));
	return {
		add(snapshot) {
			count++;
			if (!options.all) {
				last = snapshot;
				return '';
			}
			code = Math.max(code, fitCode(snapshot, options)) as 0 | 1 | 2;
			if (options.json) {
				// The item as JSON.stringify lays out an array's items: a one-item array without its `[\n` and `\n]`,
				// rather than indenting every line of the item again.
				const item = jsonText([json(snapshot)], 2).slice(2, -2);
				return `${count === 1 ? '[\n' : ',\n'}${item}`;
			}
			return `${count === 1 ? '' : '\n\n'}── dump ${count} ──\n${one(snapshot)}`;
		},
		end() {
			if (count === 0) return undefined;
			if (options.all) return options.json ? '\n]\n' : '\n';
			if (last === undefined) return undefined;
			code = fitCode(last, options);
			return `${one(last)}\n`;
		},
		exitCode: () => code,
	};
}

/** The text to print for these snapshots (at least one), newline-terminated. */
export function formatSnapshots(snapshots: readonly HeapSnapshot[], options: PrintOptions): string {
	const printer = createSnapshotPrinter(options);
	let out = '';
	for (const snapshot of snapshots) out += printer.add(snapshot);
	return out + (printer.end() ?? '');
}

/** 0 when `fitBytes` fits (or is not asked), 1 when it does not, 2 when the map cannot tell (bad input). */
function fitCode(snapshot: HeapSnapshot, options: PrintOptions): 0 | 1 | 2 {
	if (options.fitBytes === undefined) return 0;
	const result = fitAllocation(snapshot, options.fitBytes);
	return !result.ok ? 2 : result.answer.fits ? 0 : 1;
}

/**
 * The exit status `--fit` asks for over the snapshots printed: 0 when the size fits in each, 1 when it does
 * not fit in one, 2 when a map cannot tell (no block map, no block size), which is bad input, not "no".
 */
export function fitExitCode(snapshots: readonly HeapSnapshot[], options: PrintOptions): 0 | 1 | 2 {
	let code: 0 | 1 | 2 = 0;
	for (const snapshot of options.all ? snapshots : snapshots.slice(-1)) {
		code = Math.max(code, fitCode(snapshot, options)) as 0 | 1 | 2;
	}
	return code;
}
