import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsonText } from '../source/output/json-text.js';
import { sanitizeText } from '../source/protocol/sanitize.js';

/** What jsonText promises, written out the long way: the rule on every string, then non-ASCII as escapes. */
function reference(value: unknown): string | undefined {
	const text = JSON.stringify(
		value,
		(_key, item: unknown) => (typeof item === 'string' ? sanitizeText(item) : item),
		2,
	);
	return text?.replace(
		/[\u0080-\uffff]/g,
		(character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
	);
}

test('JSON text is the rule applied to every string, whichever character a string holds', () => {
	// Every code unit once (lone surrogates included), and astral characters (an emoji, a tag character).
	const strings: string[] = [];
	for (let code = 0; code < 0x10000; code += 1) strings.push(`a${String.fromCharCode(code)}b`);
	strings.push('\u{1F40D}', '\u{E0001}', 'C:\\users\\x', '\\u001b', '"quoted"', 'line\nand\ttab');
	for (const text of strings) {
		const value = { board: { name: text }, list: [text, 1, Number.NaN, Number.POSITIVE_INFINITY, null] };
		assert.equal(jsonText(value, 2), reference(value), JSON.stringify(text));
	}
	assert.equal(jsonText({ a: Number.NaN }), '{"a":null}');
	assert.equal(jsonText(undefined), undefined);
});
