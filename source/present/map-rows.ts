import { BlockChange } from '../heap/diff.js';
import type { HeapArea, HeapSnapshot } from '../heap/model.js';
import { formatBytes } from './format.js';
import { kindStyle } from './kinds.js';
import { type MapLine, type MapPlan, packCells, packMarks, visibleLines } from './map-layout.js';
import { type CellStyle, type Painter, resetSequence } from './paint.js';

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

/** Paints a row of letters, joining runs of equal style. */
export function paintCells(letters: string, marks: Uint8Array | undefined, painter: Painter): string {
	let out = '';
	let openSequence = '';
	let runStart = 0;
	for (let index = 0; index <= letters.length; index++) {
		const sequence =
			index < letters.length ? painter.open(cellStyle(letters[index] ?? '.', marks?.[index] ?? 0)) : '\u0000';
		if (index > 0 && sequence === openSequence) continue;
		if (index > runStart) {
			const run = letters.slice(runStart, index);
			out += openSequence === '' ? run : openSequence + run + resetSequence;
		}
		openSequence = sequence;
		runStart = index;
	}
	return out;
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
};

/** A visible line with its painted text. */
export type PaintedLine = { line: MapLine; text: string };

/** Paints the visible lines of the map: row label, then the cells; area titles in bold. */
export function paintMapLines(input: MapPaintInput): PaintedLine[] {
	const { snapshot, plan, painter, cache } = input;
	const painted: PaintedLine[] = [];
	for (const line of visibleLines(plan, input.firstLine, input.lineCount)) {
		if (line.kind === 'title') {
			const dot = input.dot ?? '·';
			const count = snapshot.areas.length;
			const bytes =
				snapshot.bytesPerBlock === undefined ? '' : ` ${dot} ${formatBytes(line.blocks * snapshot.bytesPerBlock)}`;
			painted.push({
				line,
				text: painter.paint(`area ${line.areaIndex + 1} of ${count} ${dot} from ${line.address}${bytes}`, {
					bold: true,
					fg: 'white',
				}),
			});
			continue;
		}
		const area = snapshot.areas[line.areaIndex];
		if (area === undefined) continue;
		const letters = packedRow(area, line.firstBlock, line.cells, plan.zoom);
		const areaMarks = input.marks?.[line.areaIndex];
		const marks = areaMarks ? packMarks(areaMarks, line.firstBlock, line.cells, plan.zoom) : undefined;
		const label = rowLabel(line.firstBlock, snapshot.bytesPerBlock, input.labelDigits);
		const key = marks?.some((mark) => mark !== 0) ? `${label}${letters}${marks.join('')}` : `${label}${letters}`;
		let text = cache?.get(key);
		if (text === undefined) {
			text = `${painter.paint(label, { fg: 'gray' })} ${paintCells(letters, marks, painter)}`;
			cache?.set(key, text);
		}
		painted.push({ line, text });
	}
	return painted;
}
