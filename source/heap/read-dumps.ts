import { createJsonDumpScanner } from './json-dumps.js';
import type { HeapSnapshot } from './model.js';
import { createMemInfoParser, parseMemInfo, textNoDumpReason } from './parse.js';
import { createPrintedReader } from './read-printed.js';

/**
 * Reads dumps from any text heaptop accepts, as it streams by: a raw `mem_info(1)` dump or a console log
 * holding some; heaptop's own printed `--once`/`inspect` text; its `--json` output; the `.json` that `s`
 * saves; a recording. What the input is, is told from its first character: JSON starts with `{` or `[`.
 * Pure, and memory is bounded by the largest dump in the input.
 */
export type DumpReader = {
	push(chunk: string): HeapSnapshot[];
	end(): HeapSnapshot[];
	/** Why no dump was found, for the user, once the input has ended without one. */
	noDumpReason(): string;
};

/** `mode` is told from the first character unless given: `text` for input known to be no JSON. */
export function createDumpReader(given?: 'text'): DumpReader {
	let mode: 'unknown' | 'json' | 'text' = given ?? 'unknown';
	const parser = createMemInfoParser();
	const printed = createPrintedReader();
	const scanner = createJsonDumpScanner();
	let jsonValues = 0;
	let jsonFailure: string | undefined;

	function fromJson(values: string[]): HeapSnapshot[] {
		const out: HeapSnapshot[] = [];
		for (const value of values) {
			jsonValues++;
			const result = parseMemInfo(value);
			if (result.ok) out.push(result.snapshot);
			else jsonFailure ??= result.error.message;
		}
		return out;
	}

	function text(chunk: string): HeapSnapshot[] {
		const found = parser.push(chunk);
		const fromPrinted = printed.push(chunk);
		return fromPrinted.length === 0 ? found : [...found, ...fromPrinted];
	}

	return {
		push(chunk) {
			if (mode === 'unknown') {
				const first = chunk.search(/\S/);
				if (first < 0) return [];
				mode = chunk[first] === '{' || chunk[first] === '[' ? 'json' : 'text';
			}
			return mode === 'json' ? fromJson(scanner.push(chunk)) : text(chunk);
		},
		end() {
			if (mode !== 'text') return [];
			return [...parser.end(), ...printed.end()];
		},
		noDumpReason() {
			if (mode === 'json') {
				if (jsonFailure !== undefined) return `its JSON holds no readable dump: ${jsonFailure}`;
				if (scanner.skipped > 0) return 'its JSON holds a dump too long to be one heaptop wrote';
				return jsonValues === 0
					? 'this JSON holds no dump: heaptop reads the "dump" of its own --json output and saved .json files'
					: 'its JSON holds no readable dump';
			}
			return textNoDumpReason(parser.strayLine(), parser.strayReason());
		},
	};
}
