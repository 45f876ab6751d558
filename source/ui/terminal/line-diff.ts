/**
 * What to send to turn one painted line on the terminal into another: only the columns that changed, each
 * run of them after a cursor move, with the colour that is in force there. A new reading changes a few cells
 * of each map row (an object allocated, a free run shortened), so sending whole rows costs a screen's worth
 * of bytes a refresh; sending the changed runs costs about what htop sends.
 *
 * Lines are the frame writer's: plain text with SGR sequences only (the sanitising rule has taken every
 * other sequence out). A line holding a character whose width is not one column for sure (wide, combining,
 * zero-width) is sent whole, since columns could not be counted right.
 */

/** One column of a painted line: its character and the style in force, as one canonical SGR sequence. */
type Cell = { text: string; style: string };

/** The SGR attributes in force: what a terminal keeps between characters. */
type Attributes = { flags: Set<number>; fg: string; bg: string };

/** The attributes after one SGR sequence's parameters (`1;32`, `39`, `38;5;208`, `0` or none: reset). */
function applySgr(attributes: Attributes, parameters: string): void {
	const codes = parameters === '' ? [0] : parameters.split(';').map((code) => Number(code) || 0);
	for (let index = 0; index < codes.length; index++) {
		const code = codes[index] ?? 0;
		if (code === 0) {
			attributes.flags.clear();
			attributes.fg = '';
			attributes.bg = '';
		} else if (code === 38 || code === 48) {
			// Extended colours: 5;n or 2;r;g;b.
			const take = codes[index + 1] === 5 ? 2 : codes[index + 1] === 2 ? 4 : 0;
			const value = codes.slice(index, index + 1 + take).join(';');
			if (code === 38) attributes.fg = value;
			else attributes.bg = value;
			index += take;
		} else if (code === 39) attributes.fg = '';
		else if (code === 49) attributes.bg = '';
		else if ((code >= 30 && code <= 37) || (code >= 90 && code <= 97)) attributes.fg = String(code);
		else if ((code >= 40 && code <= 47) || (code >= 100 && code <= 107)) attributes.bg = String(code);
		else if (code === 22) {
			attributes.flags.delete(1);
			attributes.flags.delete(2);
		} else if (code >= 23 && code <= 29) attributes.flags.delete(code - 20);
		else if (code >= 1 && code <= 9) attributes.flags.add(code);
	}
}

/** The attributes as the shortest sequence that sets them from none; '' for none. */
function styleOf(attributes: Attributes): string {
	const codes = [...attributes.flags].sort((a, b) => a - b).map(String);
	if (attributes.fg !== '') codes.push(attributes.fg);
	if (attributes.bg !== '') codes.push(attributes.bg);
	return codes.length === 0 ? '' : `\u001b[${codes.join(';')}m`;
}

const ESC = 0x1b;
const RESET = '\u001b[0m';
/** A cursor move costs about this many bytes: changed runs closer than it are sent as one. */
const JOIN_GAP = 8;

/** True when every character of `line` surely takes one column (ASCII, Latin, box drawing, blocks, arrows). */
function singleWidth(code: number): boolean {
	if (code < 0x20) return false;
	if (code < 0x0300) return true;
	if (code >= 0x0370 && code < 0x1100) return true;
	// General punctuation (after the zero-width and direction marks), arrows, maths, box drawing, blocks, shapes.
	if (code >= 0x2010 && code < 0x2028) return true;
	if (code >= 0x2030 && code < 0x2060) return true;
	if (code >= 0x2190 && code < 0x2700) return true;
	return false;
}

/** The line's columns, or undefined when they cannot be counted for sure. */
function cellsOf(line: string): Cell[] | undefined {
	const cells: Cell[] = [];
	const attributes: Attributes = { flags: new Set(), fg: '', bg: '' };
	let style = '';
	for (let index = 0; index < line.length; index++) {
		const code = line.charCodeAt(index);
		if (code === ESC) {
			if (line[index + 1] !== '[') return undefined;
			let end = index + 2;
			while (end < line.length && line.charCodeAt(end) >= 0x30 && line.charCodeAt(end) <= 0x3f) end++;
			if (line[end] !== 'm') return undefined;
			applySgr(attributes, line.slice(index + 2, end));
			style = styleOf(attributes);
			index = end;
			continue;
		}
		if (!singleWidth(code)) return undefined;
		cells.push({ text: line[index] ?? ' ', style });
	}
	return cells;
}

const sameCell = (a: Cell | undefined, b: Cell | undefined) =>
	a !== undefined && b !== undefined && a.text === b.text && a.style === b.style;

/**
 * The cells from `start` to `end` (exclusive), with each change of style sent once. It starts and ends with
 * no style in force: every write of the frame writer ends so, and a cursor move keeps it.
 */
function paintRun(cells: readonly Cell[], start: number, end: number): string {
	let out = '';
	let style = '';
	for (let index = start; index < end; index++) {
		const cell = cells[index];
		if (!cell) break;
		if (cell.style !== style) {
			out += (style === '' ? '' : RESET) + cell.style;
			style = cell.style;
		}
		out += cell.text;
	}
	return style === '' ? out : out + RESET;
}

/**
 * The bytes that turn `before` (what screen row `row`, 0-based, shows) into `after` on a terminal of
 * `columns`; '' when they look the same. Without a `before`, or when columns cannot be counted, the line is
 * sent whole.
 */
export function lineUpdate(row: number, before: string | undefined, after: string, columns: number): string {
	if (before === after) return '';
	const move = (column: number) => `\u001b[${row + 1};${column + 1}H`;
	const next = cellsOf(after);
	const shown = before === undefined ? undefined : cellsOf(before);
	if (!next || !shown) {
		// Erase to the end only when the line is shorter than the terminal: at the last column the cursor waits
		// to wrap, and an erase there would wipe the line's last character.
		const erase = (next?.length ?? 0) < columns ? '\u001b[K' : '';
		return `${move(0)}${RESET}${after}${RESET}${erase}`;
	}
	let out = '';
	let column = 0;
	const common = Math.min(next.length, shown.length);
	while (column < common) {
		if (sameCell(next[column], shown[column])) {
			column++;
			continue;
		}
		// A run of changed columns, joined across short unchanged gaps.
		let end = column + 1;
		let gap = 0;
		for (let index = end; index < common && gap < JOIN_GAP; index++) {
			if (sameCell(next[index], shown[index])) gap++;
			else {
				gap = 0;
				end = index + 1;
			}
		}
		out += `${move(column)}${paintRun(next, column, end)}`;
		column = end;
	}
	if (next.length > shown.length) {
		out += `${move(shown.length)}${paintRun(next, shown.length, next.length)}`;
	} else if (next.length < shown.length) {
		out += `${move(next.length)}\u001b[K`;
	}
	return out;
}
