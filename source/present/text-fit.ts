/**
 * Fitting text into columns, for the live screen and the printed tables alike. Everything on screen is padded
 * or cut to an exact width here, so that no line ever wraps: a wrapped line would push the whole screen down
 * on a small terminal.
 */

// SGR sequences only: the painter emits nothing else, and board output is sanitised by the sources.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching the escape character is the point.
const SGR = /\u001b\[[0-9;]*m/g;

/** Width of a string on screen, ignoring colour sequences (every character heaptop draws is one column). */
export function visibleLength(text: string): number {
	return text.includes('\u001b') ? text.replace(SGR, '').length : text.length;
}

/** Plain text cut to `width` columns, ending with `ellipsis` when cut. */
export function truncate(text: string, width: number, ellipsis = '…'): string {
	if (width <= 0) return '';
	if (text.length <= width) return text;
	if (width <= ellipsis.length) return text.slice(0, width);
	return text.slice(0, width - ellipsis.length) + ellipsis;
}

/** Plain text broken at spaces into lines of at most `width` columns; a word longer than a line is cut. */
export function wrapWords(text: string, width: number): string[] {
	const lines: string[] = [];
	let line = '';
	for (const word of text.split(/\s+/).filter((part) => part !== '')) {
		if (line === '') line = word.slice(0, width);
		else if (line.length + 1 + word.length <= width) line += ` ${word}`;
		else {
			lines.push(line);
			line = word.slice(0, width);
		}
	}
	if (line !== '') lines.push(line);
	return lines;
}

/** Pads a (possibly painted) string with spaces to `width` columns. */
export function padVisible(text: string, width: number): string {
	const length = visibleLength(text);
	return length >= width ? text : text + ' '.repeat(width - length);
}

/** `label` at the left and `value` at the right of `width` columns; the label is cut when both do not fit. */
export function spread(label: string, value: string, width: number): string {
	const room = width - value.length - 1;
	if (room < 1) return truncate(value, width);
	const cut = truncate(label, room);
	return cut + ' '.repeat(width - cut.length - value.length) + value;
}

/**
 * Joins items with `gap` into lines of at most `width` columns, never splitting an item. Items carry their
 * visible width, because they may be painted.
 */
export function flowItems(items: readonly { text: string; width: number }[], width: number, gap = 2): string[] {
	const lines: string[] = [];
	let line = '';
	let used = 0;
	for (const item of items) {
		if (used > 0 && used + gap + item.width > width) {
			lines.push(line);
			line = '';
			used = 0;
		}
		if (used > 0) {
			line += ' '.repeat(gap);
			used += gap;
		}
		line += item.text;
		used += item.width;
	}
	if (used > 0) lines.push(line);
	return lines;
}
