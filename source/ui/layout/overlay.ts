/**
 * The block map drawn beside Ink rather than through it. Ink's output stage takes every character of every
 * new line through a grapheme segmenter and keeps the texts it measured in caches (bounded in heaptop's
 * build, scripts/ink-output-caches.ts); the map is most of the characters on screen, the densest in colour
 * codes, and new with every reading. So in the running TUI the map's box is laid out by Ink with its inside left blank, and the frame
 * writer splices the painted rows into those blank columns. The rows are the same strings the Ink path draws.
 */

/** Painted lines to place at a position of the screen, `width` columns each. */
export type Overlay = {
	/** 0-based screen row of the first line. */
	row: number;
	/** 0-based screen column where the lines start. */
	column: number;
	width: number;
	lines: readonly string[];
};

/** Where a component hands its overlay; `undefined` takes it away (the component left the screen). */
export type OverlaySink = (overlay: Overlay | undefined) => void;

/**
 * Splits a line of text with SGR sequences at a visible column: the part before holds the columns before it,
 * the part after starts with the sequences that precede the character at that column. A line shorter than
 * the column gives an empty after.
 */
export function splitAtColumn(line: string, column: number): [string, string] {
	let visible = 0;
	let index = 0;
	let codesStart = -1;
	while (index < line.length) {
		if (line.charCodeAt(index) === 0x1b && line[index + 1] === '[') {
			if (codesStart < 0) codesStart = index;
			const end = line.indexOf('m', index + 2);
			index = end < 0 ? line.length : end + 1;
			continue;
		}
		if (visible === column) {
			const cut = codesStart < 0 ? index : codesStart;
			return [line.slice(0, cut), line.slice(cut)];
		}
		codesStart = -1;
		visible++;
		index++;
	}
	return [line, ''];
}

/** The visible width of the part of a line before its end, counted as `splitAtColumn` counts. */
function visibleWidth(text: string): number {
	let visible = 0;
	for (let index = 0; index < text.length; index++) {
		if (text.charCodeAt(index) === 0x1b && text[index + 1] === '[') {
			const end = text.indexOf('m', index + 2);
			index = end < 0 ? text.length : end;
			continue;
		}
		visible++;
	}
	return visible;
}

/** Puts the overlay's lines into a frame's lines, each padded to the overlay's width. */
export function composeOverlay(lines: readonly string[], overlay: Overlay | undefined): string[] {
	const out = [...lines];
	if (!overlay) return out;
	for (let index = 0; index < overlay.lines.length; index++) {
		const row = overlay.row + index;
		if (row < 0 || row >= out.length) continue;
		const line = out[row] ?? '';
		const [before] = splitAtColumn(line, overlay.column);
		const [, after] = splitAtColumn(line, overlay.column + overlay.width);
		const inserted = overlay.lines[index] ?? '';
		const insertedWidth = visibleWidth(inserted);
		const pad = (count: number) => (count > 0 ? ' '.repeat(count) : '');
		out[row] =
			before +
			pad(overlay.column - visibleWidth(before)) +
			'\u001b[0m' +
			inserted +
			pad(overlay.width - insertedWidth) +
			after;
	}
	return out;
}
