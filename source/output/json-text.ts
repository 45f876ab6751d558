import { sanitizeText } from '../protocol/sanitize.js';

/**
 * Every JSON heaptop writes, as text: the one sanitising rule on each string in it (a board's name, a
 * warning quoting a damaged line, a module name), so that no JSON output carries a control, C1 or bidi
 * character, whichever field it came in. Non-finite numbers, which JSON cannot hold, become null.
 */
export function jsonText(value: unknown, indent?: number | string): string {
	return JSON.stringify(
		value,
		(_key, item: unknown) => {
			if (typeof item === 'string') return sanitizeText(item);
			if (typeof item === 'number' && !Number.isFinite(item)) return null;
			return item;
		},
		indent,
	);
}
