/**
 * Finds the dumps inside heaptop's own JSON, as it streams by: the `dump` of `--json` output (one object, an
 * `--all` array, or the one-per-line stream of `--json --interval`), the `dump` a saved `.json` holds, and the
 * `text` of each recording line (or of a saved `.json` from before `dump`). It is a tokenizer of JSON
 * strings, not a JSON parser: only those string values are kept, one at a time, so memory is bounded by the
 * largest dump whatever the size of the file. Pure: text in, strings out.
 */

/** Keys whose string value may be a mem_info dump. */
const DUMP_KEYS = new Set(['dump', 'text']);
/** A longer value is no dump heaptop wrote; it is passed over, not kept. */
const MAX_VALUE_CHARS = 64 * 1024 * 1024;
const MAX_KEY_CHARS = 16;

export type JsonDumpScanner = {
	/** Feeds text; returns the values of dump keys that this text completed, decoded. */
	push(chunk: string): string[];
	/** Values passed over because they were too long. */
	readonly skipped: number;
};

export function createJsonDumpScanner(): JsonDumpScanner {
	let inString = false;
	let escaped = false;
	// The string being read: kept only while it may be a key (short) or a dump key's value.
	let parts: string[] = [];
	let length = 0;
	let keeping = false;
	let isValue = false;
	// The last string read, waiting to see whether a `:` makes it a key.
	let lastString: string | undefined;
	let key: string | undefined;
	let skipped = 0;

	function push(chunk: string): string[] {
		const out: string[] = [];
		let start = 0;
		for (let index = 0; index < chunk.length; index++) {
			const code = chunk.charCodeAt(index);
			if (inString) {
				if (escaped) escaped = false;
				else if (code === 0x5c) escaped = true;
				else if (code === 0x22) {
					inString = false;
					if (keeping) parts.push(chunk.slice(start, index));
					finishString(out);
				}
				continue;
			}
			if (code === 0x22) {
				inString = true;
				start = index + 1;
				isValue = key !== undefined;
				keeping = true;
				parts = [];
				length = 0;
			} else if (code === 0x3a) {
				key = lastString !== undefined && DUMP_KEYS.has(lastString) ? lastString : undefined;
				lastString = undefined;
			} else if (code > 0x20) {
				// Any other token (a number, a brace, a comma): a dump key whose value is no string is no dump.
				key = undefined;
				lastString = undefined;
			}
		}
		if (inString && keeping) {
			const rest = chunk.slice(start);
			parts.push(rest);
			length += rest.length;
			const limit = isValue ? MAX_VALUE_CHARS : MAX_KEY_CHARS + 2;
			if (length > limit) {
				if (isValue) skipped++;
				keeping = false;
				parts = [];
			}
		}
		return out;
	}

	function finishString(out: string[]): void {
		const literal = keeping ? parts.join('') : undefined;
		parts = [];
		if (isValue) {
			key = undefined;
			isValue = false;
			if (literal === undefined) return;
			try {
				const value: unknown = JSON.parse(`"${literal}"`);
				if (typeof value === 'string') out.push(value);
			} catch {
				// A damaged string: not a dump.
			}
			return;
		}
		lastString = literal !== undefined && literal.length <= MAX_KEY_CHARS ? literal : undefined;
	}

	return {
		push,
		get skipped() {
			return skipped;
		},
	};
}
