import { sanitizeText } from '../protocol/sanitize.js';

/**
 * Every JSON heaptop writes, as text: the one sanitising rule on each string in it (a board's name, a
 * warning quoting a damaged line, a module name), so that no JSON output carries a control, C1 or bidi
 * character, whichever field it came in. Non-finite numbers, which JSON cannot hold, become null. The text is
 * pure ASCII.
 */
export function jsonText(value: unknown, indent?: number | string): string {
	// Without a replacer first: JSON.stringify calls one for every value, and that was most of the time of
	// `inspect --all --json`. Its text shows whether the rule could change anything: every character the rule
	// marks is either above 0x7e or a control, which JSON writes as a \u, \b, \f or \r escape (\n and \t
	// the rule keeps); non-finite numbers it already writes as null. When neither is there, the text is the one
	// the replacer would give.
	const plain = JSON.stringify(value, undefined, indent);
	if (plain === undefined || !MAYBE_CHANGED.test(plain)) return plain;
	const text = JSON.stringify(
		value,
		(_key, item: unknown) => {
			if (typeof item === 'string') return sanitizeText(item);
			if (typeof item === 'number' && !Number.isFinite(item)) return null;
			return item;
		},
		indent,
	);
	// Non-ASCII characters as \u escapes: the same JSON to a parser, and pure ASCII on any terminal or pipe.
	return NON_ASCII.test(text) ? text.replace(NON_ASCII_ALL, escapeCharacter) : text;
}

/**
 * In JSON text, which holds no raw control (it escapes them): a character above 0x7e, or the escape of a
 * control the rule marks (or a false alarm: `\\u`, an escaped backslash before a `u`).
 */
const MAYBE_CHANGED = /[\u007f-\uffff]|\\[ubfr]/;
const NON_ASCII = /[\u0080-\uffff]/;
const NON_ASCII_ALL = /[\u0080-\uffff]/g;
const escapeCharacter = (character: string) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
