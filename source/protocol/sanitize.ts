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
