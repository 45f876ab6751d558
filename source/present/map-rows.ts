import { BlockChange } from '../heap/diff.js';
import type { HeapArea, HeapSnapshot } from '../heap/model.js';
import { formatBytes, formatCount } from './format.js';
import { kindStyle } from './kinds.js';
import { type MapLine, type MapPlan, packCells, packMarks, visibleLines } from './map-layout.js';
import { type MapHighlight, markedCells } from './map-marks.js';
import { type CellStyle, type Painter, resetSequence } from './paint.js';
import { truncate } from './text-fit.js';

/**
 * The block map's visible lines as painted strings, without React. Runs of cells with one style share one
 * colour sequence, so a row costs a few escape sequences rather than one per block: that is what keeps a
 * 9600-baud link usable.
 */

/** Per-area diff marks, by area index; absent when no highlight is shown. */
export type AreaMarks = readonly (Uint8Array | undefined)[];

const markStyles: Record<number, CellStyle> = {
	[BlockChange.freed]: { fg: 'red', inverse: true },
	[BlockChange.allocated]: { fg: 'green', inverse: true, bold: true },
	[BlockChange.changed]: { fg: 'yellow', inverse: true },
};

/** The style of one cell: its kind's colour, free dim, a diff mark inverted in red, green or yellow. */
export function cellStyle(letter: string, mark: number): CellStyle | undefined {
	if (mark !== BlockChange.same) return markStyles[mark];
	if (letter === '.') return { fg: 'gray', dim: true };
	return { fg: kindStyle(letter).color };
}

// The opening sequence of each letter's own style, per painter: without marks or highlights a cell's style
// is its letter's, so a row is painted by runs of one letter, one lookup a run rather than a style a cell.
const letterSequences = new WeakMap<Painter, Map<number, string>>();

function letterSequence(painter: Painter, letters: string, index: number): string {
	let sequences = letterSequences.get(painter);
	if (!sequences) {
		sequences = new Map();
		letterSequences.set(painter, sequences);
	}
	const code = letters.charCodeAt(index);
	let sequence = sequences.get(code);
	if (sequence === undefined) {
		sequence = painter.open(cellStyle(letters[index] ?? '.', BlockChange.same));
		sequences.set(code, sequence);
	}
	return sequence;
}

/**
 * Paints a row of letters, joining runs of equal style. `highlight[i]`, when not 0, is 1 + the index in
 * `highlights` of the mark cell `i` shows; a diff mark goes over it (the diff is what the user just asked for).
 */
export function paintCells(
	letters: string,
	marks: Uint8Array | undefined,
	painter: Painter,
	highlight?: Uint8Array,
	highlights?: readonly MapHighlight[],
): string {
	const byLetter = marks === undefined && highlight === undefined;
	// A letter's own style is a colour and nothing else: without colour the row is its letters as they are.
	if (byLetter && !painter.color) return letters;
	let out = '';
	let openSequence = '';
	let runStart = 0;
	const styleAt = (index: number): CellStyle | undefined => {
		const mark = marks?.[index] ?? 0;
		const marked = highlight?.[index] ?? 0;
		if (mark === BlockChange.same && marked > 0) return highlights?.[marked - 1]?.style;
		return cellStyle(letters[index] ?? '.', mark);
	};
	for (let index = 0; index <= letters.length; ) {
		let next = index + 1;
		let sequence: string;
		if (index === letters.length) sequence = '\u0000';
		else if (byLetter) {
			// Equal letters have equal style: the run is taken whole.
			const code = letters.charCodeAt(index);
			while (next < letters.length && letters.charCodeAt(next) === code) next++;
			sequence = letterSequence(painter, letters, index);
		} else sequence = painter.open(styleAt(index));
		if (index === 0 || sequence !== openSequence) {
			if (index > runStart) {
				const run = letters.slice(runStart, index);
				out += openSequence === '' ? run : openSequence + run + resetSequence;
			}
			openSequence = sequence;
			runStart = index;
		}
		index = next;
	}
	return out;
}

/** The row's letters with each highlighted cell's letter in place, and which highlight each cell shows. */
function applyHighlights(
	letters: string,
	line: { areaIndex: number; firstBlock: number; cells: number },
	zoom: number,
	highlights: readonly MapHighlight[],
): { letters: string; highlight: Uint8Array | undefined } {
	let highlight: Uint8Array | undefined;
	let chars: string[] | undefined;
	// Later highlights go over earlier ones: the caller lists the most specific last.
	highlights.forEach((entry, entryIndex) => {
		for (const range of entry.ranges) {
			if (range.areaIndex !== line.areaIndex) continue;
			if (range.firstBlock >= line.firstBlock + line.cells * zoom) continue;
			if (range.firstBlock + range.blocks <= line.firstBlock - zoom) continue;
			const cells = markedCells(range, line.firstBlock, line.cells, zoom);
			if (!cells) continue;
			highlight ??= new Uint8Array(line.cells);
			chars ??= [...letters];
			for (let cell = cells[0]; cell < cells[1]; cell++) {
				highlight[cell] = entryIndex + 1;
				chars[cell] = entry.letter;
			}
		}
	});
	return { letters: chars ? chars.join('') : letters, highlight };
}

/** A line's row label: the offset of its first block in bytes (in blocks when the block size is unknown). */
export function rowLabel(firstBlock: number, bytesPerBlock: number | undefined, digits: number): string {
	return (firstBlock * (bytesPerBlock ?? 1)).toString(16).padStart(digits, '0');
}

// Packed letters per area, kept as long as the snapshot's area lives: scrolling, a resize or the diff
// toggling repaints without packing again, which at the zoom that shows a whole 8 MiB heap reads every block.
const packedRows = new WeakMap<HeapArea, Map<string, string>>();

/** The letters of a row at a zoom, packed once per area. */
function packedRow(area: HeapArea, firstBlock: number, cells: number, zoom: number): string {
	if (zoom === 1) return area.cells.slice(firstBlock, firstBlock + cells);
	let rows = packedRows.get(area);
	if (!rows) {
		rows = new Map();
		packedRows.set(area, rows);
	}
	const key = `${zoom}:${firstBlock}:${cells}`;
	let letters = rows.get(key);
	if (letters === undefined) {
		letters = packCells(area.cells, firstBlock, cells, zoom);
		rows.set(key, letters);
	}
	return letters;
}

/** What painting the visible map needs. */
export type MapPaintInput = {
	snapshot: HeapSnapshot;
	plan: MapPlan;
	firstLine: number;
	lineCount: number;
	labelDigits: number;
	marks?: AreaMarks;
	painter: Painter;
	/** The separator in area titles: `·`, or its `--ascii` stand-in. */
	dot?: string;
	/** Memo of painted rows across frames; cleared by the caller when it grows. */
	cache?: Map<string, string>;
	/** Marks drawn over the cells (the largest free run, what the "why" analysis found). */
	highlights?: readonly MapHighlight[];
};

/**
 * An area's title, as the live screen and the printed map both word it: `area 1 of 2 · from 3ffb0000 ·
 * 65,536 B` (in blocks when the block size is unknown), cut to `width` columns when one is given.
 */
export function areaTitle(
	snapshot: HeapSnapshot,
	areaIndex: number,
	address: string,
	blocks: number,
	painter: Painter,
	dot = '·',
	width?: number,
): string {
	const size =
		snapshot.bytesPerBlock === undefined
			? `${formatCount(blocks)} ${blocks === 1 ? 'block' : 'blocks'}`
			: formatBytes(blocks * snapshot.bytesPerBlock);
	const text = `area ${areaIndex + 1} of ${snapshot.areas.length} ${dot} from ${address} ${dot} ${size}`;
	return painter.paint(width === undefined ? text : truncate(text, width, dot === '·' ? '…' : '...'), {
		bold: true,
		fg: 'white',
	});
}

/** One map row as both the live screen and the printed map show it: the label in grey, then the cells. */
export function paintRow(
	label: string,
	letters: string,
	painter: Painter,
	marks?: Uint8Array,
	highlight?: Uint8Array,
	highlights?: readonly MapHighlight[],
): string {
	return `${painter.paint(label, { fg: 'gray' })} ${paintCells(letters, marks, painter, highlight, highlights)}`;
}

/** A visible line with its painted text. */
export type PaintedLine = { line: MapLine; text: string };

/** Paints the visible lines of the map: row label, then the cells; area titles in bold. */
export function paintMapLines(input: MapPaintInput): PaintedLine[] {
	const { snapshot, plan, painter, cache } = input;
	const painted: PaintedLine[] = [];
	for (const line of visibleLines(plan, input.firstLine, input.lineCount)) {
		if (line.kind === 'title') {
			const width = plan.cellsPerRow + input.labelDigits + 1;
			painted.push({
				line,
				text: areaTitle(snapshot, line.areaIndex, line.address, line.blocks, painter, input.dot, width),
			});
			continue;
		}
		const area = snapshot.areas[line.areaIndex];
		if (area === undefined) continue;
		const packed = packedRow(area, line.firstBlock, line.cells, plan.zoom);
		const { letters, highlight } = input.highlights?.length
			? applyHighlights(packed, line, plan.zoom, input.highlights)
			: { letters: packed, highlight: undefined };
		const areaMarks = input.marks?.[line.areaIndex];
		const marks = areaMarks ? packMarks(areaMarks, line.firstBlock, line.cells, plan.zoom) : undefined;
		const label = rowLabel(line.firstBlock, snapshot.bytesPerBlock, input.labelDigits);
		let key = marks?.some((mark) => mark !== 0) ? `${label}${letters}${marks.join('')}` : `${label}${letters}`;
		if (highlight) key += `|${input.highlights?.map((entry) => entry.id).join(',')}|${highlight.join('')}`;
		let text = cache?.get(key);
		if (text === undefined) {
			text = paintRow(label, letters, painter, marks, highlight, input.highlights);
			cache?.set(key, text);
		}
		painted.push({ line, text });
	}
	return painted;
}
