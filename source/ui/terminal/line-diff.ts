import { applyToStyle, erasesWithColour, sgrTransition } from './sgr.js';

/**
 * What to send to turn one painted line on the terminal into another: only the columns that changed, each
 * run of them after the shortest cursor move, in the colour that is in force there. A new reading changes a
 * few cells of each map row (an object allocated, a free run shortened), so sending whole rows costs a
 * screen's worth of bytes a refresh; sending the changed runs costs about what htop sends.
 *
 * The terminal's state is carried from one line to the next (`WireState`): the style in force and where the
 * cursor is. A cursor move keeps the style, so a run does not end with a reset; a style change sends only
 * what differs (sgr.ts); a move on the same row is a relative one when that is shorter.
 *
 * Lines are the frame writer's: plain text with SGR sequences only (the sanitising rule has taken every
 * other sequence out). A line holding a character whose width is not one column for sure (wide, combining,
 * zero-width) is sent whole, since columns could not be counted right.
 */

/** One column of a painted line: its character and the style in force, as a canonical SGR parameter list. */
export type Cell = { text: string; style: string };

/** What the terminal is known to hold between writes: the style in force and the cursor's place. */
export type WireState = {
	/** Canonical SGR parameters in force ('' for none). */
	style: string;
	/** 0-based row of the cursor, -1 when unknown. */
	row: number;
	/** 0-based column of the cursor, -1 when unknown (or waiting to wrap after the last column). */
	column: number;
};

/** The state at the start of every write: nothing known of the cursor, no style in force. */
export const freshWireState = (): WireState => ({ style: '', row: -1, column: -1 });

const ESC = 0x1b;
/** Unchanged gaps longer than this always get a cursor move; shorter ones are priced both ways. */
const MAX_FILL_GAP = 16;

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
export function cellsOf(line: string): Cell[] | undefined {
	const cells: Cell[] = [];
	let style = '';
	for (let index = 0; index < line.length; index++) {
		const code = line.charCodeAt(index);
		if (code === ESC) {
			if (line[index + 1] !== '[') return undefined;
			let end = index + 2;
			while (end < line.length && line.charCodeAt(end) >= 0x30 && line.charCodeAt(end) <= 0x3f) end++;
			if (line[end] !== 'm') return undefined;
			style = applyToStyle(style, line.slice(index + 2, end));
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

/** The bytes a string takes in UTF-8, for the characters `cellsOf` lets through (none above U+FFFF). */
function utf8Bytes(text: string): number {
	let bytes = 0;
	for (let index = 0; index < text.length; index++) {
		const code = text.charCodeAt(index);
		bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : 3;
	}
	return bytes;
}

/** The shortest sequence that puts the cursor at (`row`, `column`), 0-based, from where `state` says it is. */
function moveTo(state: WireState, row: number, column: number): string {
	if (state.row === row && state.column === column) return '';
	const absolute =
		row === 0 && column === 0 ? '\u001b[H' : column === 0 ? `\u001b[${row + 1}H` : `\u001b[${row + 1};${column + 1}H`;
	if (state.row !== row) return absolute;
	// Same row: to the column by number (CHA), or forward by a count (CUF) from a known column.
	const horizontal = column === 0 ? '\u001b[G' : `\u001b[${column + 1}G`;
	const forward = state.column >= 0 && column > state.column ? column - state.column : 0;
	const relative = forward === 0 ? undefined : forward === 1 ? '\u001b[C' : `\u001b[${forward}C`;
	return relative !== undefined && relative.length < horizontal.length ? relative : horizontal;
}

/** Moves the cursor as `moveTo` says and records where it is now. */
function goTo(state: WireState, row: number, column: number): string {
	const move = moveTo(state, row, column);
	state.row = row;
	state.column = column;
	return move;
}

/** The cells from `start` to `end` (exclusive) in their styles, from the style `state` holds. */
function paintCells(
	cells: readonly Cell[],
	start: number,
	end: number,
	style: string,
): { text: string; style: string } {
	let text = '';
	let current = style;
	for (let index = start; index < end; index++) {
		const cell = cells[index];
		if (!cell) break;
		if (cell.style !== current) {
			text += sgrTransition(current, cell.style);
			current = cell.style;
		}
		text += cell.text;
	}
	return { text, style: current };
}

/** Sends cells `start` to `end` at `row` (the cursor already there) and moves `state` past them. */
function sendRun(state: WireState, cells: readonly Cell[], start: number, end: number, columns: number): string {
	const painted = paintCells(cells, start, end, state.style);
	state.style = painted.style;
	// At the last column the cursor waits to wrap: its column is not one a relative move can start from.
	state.column = end >= columns ? -1 : end;
	return painted.text;
}

/**
 * The bytes that turn `before` (what screen row `row`, 0-based, shows) into `after` on a terminal of
 * `columns`, from the terminal state `state` (updated to what it is after them); '' when the lines look the
 * same. Without a `before`, or when columns cannot be counted, the line is sent whole. `beforeCells` and
 * `afterCells` may hand over cells already counted (the frame writer keeps the last frame's).
 */
export function lineUpdate(
	row: number,
	before: string | undefined,
	after: string,
	columns: number,
	state: WireState = freshWireState(),
	cells: { before?: Cell[] | undefined; after?: Cell[] | undefined } = {},
): string {
	if (before === after) return '';
	const next = cells.after ?? cellsOf(after);
	const shown = before === undefined ? undefined : (cells.before ?? cellsOf(before));
	if (!next || !shown) {
		// Erase to the end only when the line is shorter than the terminal: at the last column the cursor waits
		// to wrap, and an erase there would wipe the line's last character.
		const erase = (next?.length ?? 0) < columns ? '\u001b[K' : '';
		const out = `${goTo(state, row, 0)}${sgrTransition(state.style, '')}${after}\u001b[m${erase}`;
		// Where a line of uncounted characters leaves the cursor is not known.
		state.style = '';
		state.row = -1;
		state.column = -1;
		return out;
	}
	let out = '';
	let column = 0;
	const common = Math.min(next.length, shown.length);
	while (column < common) {
		if (sameCell(next[column], shown[column])) {
			column++;
			continue;
		}
		// A run of changed columns; an unchanged gap after it is filled in when that is cheaper than a move.
		let end = column + 1;
		while (end < common && !sameCell(next[end], shown[end])) end++;
		out += goTo(state, row, column) + sendRun(state, next, column, end, columns);
		column = end;
		for (;;) {
			let gapEnd = column;
			while (gapEnd < common && gapEnd - column <= MAX_FILL_GAP && sameCell(next[gapEnd], shown[gapEnd])) gapEnd++;
			if (gapEnd >= common || gapEnd - column > MAX_FILL_GAP || state.column < 0) break;
			const fill = paintCells(next, column, gapEnd, state.style);
			const nextStyle = next[gapEnd]?.style ?? '';
			const fillCost = utf8Bytes(fill.text) + sgrTransition(fill.style, nextStyle).length;
			const moveCost = moveTo(state, row, gapEnd).length + sgrTransition(state.style, nextStyle).length;
			if (fillCost > moveCost) break;
			out += sendRun(state, next, column, gapEnd, columns);
			column = gapEnd;
			let changedEnd = column + 1;
			while (changedEnd < common && !sameCell(next[changedEnd], shown[changedEnd])) changedEnd++;
			out += sendRun(state, next, column, changedEnd, columns);
			column = changedEnd;
		}
	}
	if (next.length > shown.length) {
		out += goTo(state, row, shown.length) + sendRun(state, next, shown.length, next.length, columns);
	} else if (next.length < shown.length) {
		// The erase fills with the background in force: none, so that the cleared cells are blank.
		const clear = erasesWithColour(state.style) ? sgrTransition(state.style, '') : '';
		if (clear !== '') state.style = '';
		out += `${goTo(state, row, next.length)}${clear}\u001b[K`;
	}
	return out;
}
