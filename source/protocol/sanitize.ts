/**
 * Makes board output safe to show: a board must not be able to repaint, retitle or reconfigure the user's
 * terminal. Removes CSI sequences (`\x1b[…m`, `\x1b[K`), OSC strings (CircuitPython's status bar
 * `\x1b]0;🐍 …\x1b\\`, ended by ST or BEL), DCS/SOS/PM/APC strings, other two-byte escapes, C0 controls except
 * newline and tab, C1 controls, and the raw REPL's `\x04` markers. `\r\n` and a lone `\r` become `\n`.
 */

/** A chunk-fed sanitiser; its state is the unfinished escape sequence and any half-received UTF-8 character. */
export type Sanitizer = {
	/** Feeds bytes; returns the clean text they complete. */
	push(chunk: Uint8Array): string;
	/** Ends the input; an unterminated escape sequence is dropped. */
	end(): string;
};

type State = 'text' | 'escape' | 'csi' | 'string' | 'string-escape' | 'cr';

/** Longest control string kept pending; past it the string is dropped and text resumes (a lost terminator). */
const maxStringChars = 4096;

/** Creates a streaming sanitiser. Output is split-independent: the same bytes in any chunks give the same text. */
export function createSanitizer(): Sanitizer {
	const decoder = new TextDecoder('utf-8', { fatal: false });
	let state: State = 'text';
	let stringChars = 0;

	function clean(text: string): string {
		let out = '';
		for (const char of text) {
			const code = char.codePointAt(0) ?? 0;
			switch (state) {
				case 'cr':
					// `\r\n` and a lone `\r` are both one line end.
					state = 'text';
					out += '\n';
					if (code === 0x0a) continue;
					break;
				case 'escape':
					if (code === 0x5b)
						state = 'csi'; // `[`
					else if (code === 0x5d || code === 0x50 || code === 0x58 || code === 0x5e || code === 0x5f) {
						// `]` OSC, `P` DCS, `X` SOS, `^` PM, `_` APC: strings up to ST (`\x1b\\`) or BEL.
						state = 'string';
						stringChars = 0;
					} else if (code >= 0x20 && code <= 0x2f) {
						// Intermediate bytes of an nF escape: stay until the final byte.
					} else {
						state = 'text';
					}
					continue;
				case 'csi':
					// Parameter and intermediate bytes 0x20–0x3F, then one final byte 0x40–0x7E.
					if (code >= 0x40 && code <= 0x7e) state = 'text';
					else if (code < 0x20 || code > 0x3f) state = 'text';
					continue;
				case 'string':
					if (code === 0x07 || code === 0x9c) state = 'text';
					else if (code === 0x1b) state = 'string-escape';
					else if (++stringChars > maxStringChars) state = 'text';
					continue;
				case 'string-escape':
					state = code === 0x5c ? 'text' : 'string';
					continue;
				case 'text':
					break;
			}
			if (code === 0x1b) {
				state = 'escape';
			} else if (code === 0x9b) {
				state = 'csi'; // 8-bit CSI
			} else if (code === 0x9d || code === 0x90 || code === 0x98 || code === 0x9e || code === 0x9f) {
				state = 'string';
				stringChars = 0;
			} else if (code === 0x0d) {
				state = 'cr';
			} else if (code === 0x0a || code === 0x09) {
				out += char;
			} else if (code < 0x20 || code === 0x7f || (code >= 0x80 && code <= 0x9f)) {
				// Other C0 and C1 controls: bell, backspace, the raw REPL's 0x04, form feed… dropped.
			} else if (FORMAT.test(char)) {
				// Bidi overrides and other invisible format characters would reorder what the user reads.
				out += MARK;
			} else {
				out += char;
			}
		}
		return out;
	}

	return {
		push(chunk) {
			return clean(decoder.decode(chunk, { stream: true }));
		},
		end() {
			let out = clean(decoder.decode());
			if (state === 'cr') out += '\n';
			state = 'text';
			return out;
		},
	};
}

/** Sanitises a whole piece of board output at once. */
export function sanitizeOutput(bytes: Uint8Array): string {
	const sanitizer = createSanitizer();
	return sanitizer.push(bytes) + sanitizer.end();
}

/**
 * The one rule for text that came from outside (a board, a file, a recording) on its way to a terminal or
 * to JSON: C0 controls but newline and tab, DEL, C1 controls, whole ESC sequences (CSI, OSC and the other
 * strings, two-byte escapes), bidi and other format characters (U+202E, U+200B, U+FEFF…), line and
 * paragraph separators and lone surrogates each become one visible mark, so the user sees that something
 * was there without the terminal acting on it.
 */
export const MARK = '\uFFFD';

/** Invisible characters that change how text reads: format (bidi overrides, zero-width), separators. */
const FORMAT = /[\p{Cf}\p{Zl}\p{Zp}]/u;

// An ESC sequence as a terminal would consume it, or one dangerous character. The `u` flag lets \p{Cs}
// match a lone surrogate.
const UNSAFE =
	// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
	/\x1b(?:\[[0-?]*[ -/]*[@-~]?|[\]PX^_](?:[^\x07\x1b\x9c]{0,4096}(?:\x07|\x9c|\x1b\\)?)|[ -/]*[0-~]?)|[\x00-\x08\x0b-\x1f\x7f-\x9f\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;
/**
 * A quick first look, without the \p classes or alternatives: a superset of what UNSAFE matches (every format
 * character of the BMP by range, and every surrogate, so astral format characters too). Text it does not
 * match, nearly all of it, skips the full pattern: the printers' output and the edge pass over megabytes.
 * Two classes, not one: V8 runs the one class holding both the Latin-1 ranges and the surrogates seven times
 * slower (26 us for one printed dump of 1.35 KB, most of `inspect --all`'s time), either half alone at speed.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const MAYBE_UNSAFE_LATIN1 = /[\x00-\x08\x0b-\x1f\x7f-\x9f\xad]/;
const MAYBE_UNSAFE_WIDE =
	/[\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff]/;

function maybeUnsafe(text: string): boolean {
	return MAYBE_UNSAFE_LATIN1.test(text) || MAYBE_UNSAFE_WIDE.test(text);
}

/** heaptop's own colour: SGR with numeric parameters only, the only sequence the edge lets through. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the escape character starts every SGR.
const SGR = /^\x1b\[[0-9;]*m$/;

/** Outside text made safe by the rule above; newlines and tabs stay. */
export function sanitizeText(text: string): string {
	if (!maybeUnsafe(text)) return text;
	UNSAFE.lastIndex = 0;
	if (!UNSAFE.test(text)) return text;
	UNSAFE.lastIndex = 0;
	return text.replace(UNSAFE, MARK);
}

/**
 * The same rule at the terminal's edge, where heaptop's own colour is part of the text: SGR sequences pass
 * (at worst a board could colour text, never move the cursor, retitle, or switch modes), all else is marked.
 */
export function sanitizeForTerminal(text: string): string {
	if (!maybeUnsafe(text)) return text;
	UNSAFE.lastIndex = 0;
	if (!UNSAFE.test(text)) return text;
	UNSAFE.lastIndex = 0;
	return text.replace(UNSAFE, (sequence) => (SGR.test(sequence) ? sequence : MARK));
}

/** True when `text` holds something the rule would mark (for tests and assertions at the edges). */
export function hasUnsafeText(text: string): boolean {
	if (!maybeUnsafe(text)) return false;
	UNSAFE.lastIndex = 0;
	return UNSAFE.test(text);
}
