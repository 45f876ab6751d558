import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { asciiBytes, concatBytes } from '../source/protocol/bytes.js';
import {
	createSanitizer,
	hasUnsafeText,
	MARK,
	sanitizeForTerminal,
	sanitizeOutput,
	sanitizeText,
} from '../source/protocol/sanitize.js';
import { readTranscript, transcriptNames, transcriptStep } from './helpers/transcripts.js';

/** Everything a board answered in every capture, as one stream. */
function everyAnswer(): Uint8Array {
	return concatBytes(transcriptNames().flatMap((name) => readTranscript(name).map((step) => step.recv)));
}

function hasControl(text: string): boolean {
	for (const char of text) {
		const code = char.codePointAt(0) ?? 0;
		if (code === 0x0a || code === 0x09) continue;
		if (code < 0x20 || code === 0x7f || (code >= 0x80 && code <= 0x9f)) return true;
	}
	return false;
}

/** CircuitPython's status bar as protocol.md §5 describes it: OSC 0 with a UTF-8 emoji, ended by ST. */
const statusBar = concatBytes([
	asciiBytes('\x1b]0;'),
	new TextEncoder().encode('🐍 code.py | 9.2.1'),
	asciiBytes('\x1b\\'),
]);

describe('sanitising board output', () => {
	test('every captured answer comes out without a control or escape character', () => {
		const clean = sanitizeOutput(everyAnswer());
		assert.equal(hasControl(clean), false);
		assert.match(clean, /MicroPython v1\.29\.0-preview/);
		assert.match(clean, /raw REPL; CTRL-B to exit\n>/);
	});

	test('friendly-REPL echo loses its backspaces and erase-line sequences', () => {
		const echo = transcriptStep('qemu_mps2_an385_b.txt', 'exec input()').recv;
		const clean = sanitizeOutput(echo);
		assert.ok(!clean.includes('\b') && !clean.includes('\x1b'));
		assert.ok(!clean.includes('[K'), 'the whole CSI sequence goes, not just ESC');
	});

	test("CircuitPython's status-bar title (OSC … ST) disappears, the text around it stays", () => {
		const bytes = concatBytes([asciiBytes('a\r\n'), statusBar, asciiBytes('b\x1b[2K\x1b[0Gcode.py output:\r\n')]);
		assert.equal(sanitizeOutput(bytes), 'a\nbcode.py output:\n');
	});

	test('an OSC ended by BEL, a DCS string and 8-bit CSI are removed too', () => {
		const bytes = concatBytes([
			asciiBytes('x\x1b]2;title\x07y\x1bPq#0\x1b\\z'),
			new TextEncoder().encode('\u009b31mw'),
		]);
		assert.equal(sanitizeOutput(bytes), 'xyzw');
	});

	test('UTF-8 text survives, a broken byte becomes a replacement character', () => {
		const bytes = concatBytes([new TextEncoder().encode('µs → ok '), new Uint8Array([0xff]), asciiBytes('\r\n')]);
		assert.equal(sanitizeOutput(bytes), 'µs → ok \ufffd\n');
	});

	test('any split of the input gives the same text', () => {
		const bytes = concatBytes([
			transcriptStep('qemu_mps2_an385_b.txt', 'exec input()').recv,
			statusBar,
			transcriptStep('qemu_mps2_an385.txt', 'exec exception').recv,
			new TextEncoder().encode('µ\r'),
		]);
		const whole = sanitizeOutput(bytes);
		for (let at = 0; at <= bytes.length; at++) {
			const sanitizer = createSanitizer();
			const text = sanitizer.push(bytes.subarray(0, at)) + sanitizer.push(bytes.subarray(at)) + sanitizer.end();
			assert.equal(text, whole, `split at ${at}`);
		}
		const sanitizer = createSanitizer();
		let byByte = '';
		for (const byte of bytes) byByte += sanitizer.push(new Uint8Array([byte]));
		assert.equal(byByte + sanitizer.end(), whole);
	});

	test('an escape string that never ends stops swallowing text after 4096 characters', () => {
		const bytes = concatBytes([asciiBytes('\x1b]0;'), asciiBytes('x'.repeat(5000)), asciiBytes('\r\nvisible')]);
		assert.match(sanitizeOutput(bytes), /visible$/);
	});
});

describe('the one rule for outside text', () => {
	const hostile = [
		'\x1b]0;pwned\x07',
		'\x1b]2;title\x1b\\',
		'\x1b[2J\x1b[H',
		'\x1b[?1049l',
		'\x1bc',
		'\u009b2J',
		'\u0085',
		'\u202Eevil',
		'\u2066x\u2069',
		'\u200B',
		'\uFEFF',
		'\u2028',
		'\r',
		'\b',
		'\x7f',
		'\ud800',
	];

	test('every control, C1, escape sequence and bidi or format character becomes one visible mark', () => {
		for (const text of hostile) {
			const clean = sanitizeText(`a${text}b`);
			assert.ok(clean.startsWith('a') && clean.endsWith('b'), JSON.stringify(text));
			assert.ok(clean.includes(MARK), JSON.stringify(text));
			assert.equal(hasUnsafeText(clean), false, JSON.stringify(clean));
		}
		assert.equal(sanitizeText('\x1b]0;pwned\x07'), MARK, 'an OSC string is one mark, its text goes with it');
		assert.equal(sanitizeText('MicroPython v1.27 on 🐍\tboard\n'), 'MicroPython v1.27 on 🐍\tboard\n');
	});

	test("at the terminal's edge only SGR colour passes", () => {
		assert.equal(sanitizeForTerminal('\x1b[1;31mred\x1b[0m'), '\x1b[1;31mred\x1b[0m');
		for (const text of hostile) assert.equal(hasUnsafeText(sanitizeForTerminal(text)), false, JSON.stringify(text));
		assert.equal(sanitizeForTerminal('\x1b[2J'), MARK);
	});

	test('the quick look before the full rule passes over no character the rule marks, in any plane', () => {
		// The rule's own classes, written as the rule is: the quick look must be a superset of them.
		// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
		const ruled = /[\x00-\x08\x0b-\x1f\x7f-\x9f\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;
		const printed = 'GC        total 140,032 B · used 336 B ── ▀▄█ ';
		for (let code = 0; code <= 0x10ffff; code++) {
			if (code >= 0xd800 && code <= 0xdfff && code % 64 !== 0) continue; // lone surrogates: a sample
			const character = String.fromCodePoint(code);
			if (!ruled.test(character)) continue;
			// Inside printed text, as the printers and the edge meet it, the character must still be marked.
			const clean = sanitizeForTerminal(`${printed}${character}${printed}`);
			assert.ok(clean.includes(MARK), `U+${code.toString(16)}`);
			assert.equal(hasUnsafeText(clean), false, `U+${code.toString(16)}`);
		}
	});

	test('the stream sanitiser marks bidi overrides too', () => {
		assert.equal(sanitizeOutput(new TextEncoder().encode('x\u202Ey\n')), `x${MARK}y\n`);
	});
});
