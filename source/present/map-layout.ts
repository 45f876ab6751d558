import { Cells, type CellText } from '../heap/cells.js';
import { BlockChange } from '../heap/diff.js';

/**
 * The block map's geometry, without React: how many blocks a row holds at a given width, which lines of a
 * possibly huge heap are on screen, and how blocks pack into one cell when zoomed. Only visible rows are ever
 * computed, so an 8 MiB heap costs what a screenful costs.
 */

/** The firmware's own dump row: 64 blocks. The printed map (`inspect`) keeps it, so rows match the dump. */
export const DUMP_CELLS_PER_ROW = 64;
/**
 * Rows are a multiple of this: offsets stay round enough to read at 1:1, and at most 3 columns of the map's
 * box stay idle (steps of 8 left up to 7, a tenth of an 80-column map).
 */
export const CELL_STEP = 4;

/** One heap area as the map needs it. */
export type MapArea = { address: string; blocks: number };

/** The map laid out at one width and zoom: lines are area titles (when there are several areas) and rows. */
export type MapPlan = {
	cellsPerRow: number;
	/** Blocks packed into one cell: any whole number (the fit is the smallest that shows the whole heap). */
	zoom: number;
	blocksPerRow: number;
	sections: MapSection[];
	totalLines: number;
};

/** One area's place in the list of lines. */
export type MapSection = {
	areaIndex: number;
	address: string;
	blocks: number;
	/** Index of the section's first line (its title when titled, else its first row). */
	firstLine: number;
	titled: boolean;
	rows: number;
};

/** A line of the map as it will be drawn. */
export type MapLine =
	| { kind: 'title'; areaIndex: number; address: string; blocks: number }
	| { kind: 'row'; areaIndex: number; row: number; firstBlock: number; cells: number };

/** Cells a row holds in `width` columns after the row label: every whole step of `CELL_STEP` there is room for. */
export function cellsPerRowFor(width: number, labelWidth: number): number {
	const room = width - labelWidth;
	return Math.max(CELL_STEP, Math.floor(room / CELL_STEP) * CELL_STEP);
}

/** Hex digits the row labels need for the largest offset of any area (at least 4). */
export function labelDigitsFor(areas: readonly MapArea[], bytesPerBlock: number | undefined): number {
	let largest = 0;
	for (const area of areas) largest = Math.max(largest, area.blocks * (bytesPerBlock ?? 1));
	return Math.max(4, Math.max(0, largest - 1).toString(16).length);
}

/** Lays out the areas at a row width and zoom. Areas get a title line only when there is more than one. */
export function planMap(areas: readonly MapArea[], cellsPerRow: number, zoom: number): MapPlan {
	const blocksPerRow = cellsPerRow * zoom;
	const titled = areas.length > 1;
	const sections: MapSection[] = [];
	let line = 0;
	areas.forEach((area, areaIndex) => {
		const rows = Math.ceil(area.blocks / blocksPerRow);
		sections.push({ areaIndex, address: area.address, blocks: area.blocks, firstLine: line, titled, rows });
		line += rows + (titled ? 1 : 0);
	});
	return { cellsPerRow, zoom, blocksPerRow, sections, totalLines: line };
}

/** The lines from `firstLine` on, at most `count` of them, computed by arithmetic rather than listed. */
export function visibleLines(plan: MapPlan, firstLine: number, count: number): MapLine[] {
	const lines: MapLine[] = [];
	let line = Math.max(0, firstLine);
	const end = Math.min(plan.totalLines, line + count);
	let sectionIndex = 0;
	while (line < end) {
		while (sectionIndex + 1 < plan.sections.length) {
			const nextSection = plan.sections[sectionIndex + 1];
			if (nextSection === undefined || nextSection.firstLine > line) break;
			sectionIndex++;
		}
		const section = plan.sections[sectionIndex];
		if (section === undefined) break;
		let local = line - section.firstLine;
		if (section.titled) {
			if (local === 0) {
				lines.push({ kind: 'title', areaIndex: section.areaIndex, address: section.address, blocks: section.blocks });
				line++;
				continue;
			}
			local--;
		}
		const firstBlock = local * plan.blocksPerRow;
		const cells = Math.ceil(Math.min(plan.blocksPerRow, section.blocks - firstBlock) / plan.zoom);
		lines.push({ kind: 'row', areaIndex: section.areaIndex, row: local, firstBlock, cells });
		line++;
	}
	return lines;
}

/** The first line to show so that `firstLine` stays within the map and the window stays full when it can. */
export function clampScroll(firstLine: number, totalLines: number, height: number): number {
	return Math.max(0, Math.min(firstLine, totalLines - height));
}

/** The line that shows block `block` of area `areaIndex` (used to keep the view steady across a zoom). */
export function lineOfBlock(plan: MapPlan, areaIndex: number, block: number): number {
	const section = plan.sections[areaIndex];
	if (section === undefined) return 0;
	return section.firstLine + (section.titled ? 1 : 0) + Math.floor(block / plan.blocksPerRow);
}

/**
 * The fewest blocks a cell at which the whole heap fits `height` lines at `cellsPerRow`: the scale of the
 * map at start. Lines only fall as the zoom grows, so a bisection finds it in a few dozen plans.
 */
export function fitZoom(areas: readonly MapArea[], cellsPerRow: number, height: number): number {
	const fits = (zoom: number) => planMap(areas, cellsPerRow, zoom).totalLines <= height;
	if (fits(1)) return 1;
	let blocks = 1;
	for (const area of areas) blocks = Math.max(blocks, area.blocks);
	let low = 1; // does not fit
	let high = blocks; // one row an area: fits whenever anything can
	if (!fits(high)) return high;
	while (high - low > 1) {
		const middle = Math.floor((low + high) / 2);
		if (fits(middle)) high = middle;
		else low = middle;
	}
	return high;
}

const FREE = 0x2e; // '.'
const TAIL = 0x3d; // '='

/**
 * The letters of `cellCount` cells from block `firstBlock` on, `zoom` blocks per cell. A packed cell shows
 * the most common kind among its blocks, counting a tail as its head's kind, and shows free only when every
 * block in it is free: so a free cell at any zoom is a free run a `bytearray` can really use.
 */
export function packCells(cells: CellText, firstBlock: number, cellCount: number, zoom: number): string {
	if (zoom <= 1) return cells.slice(firstBlock, firstBlock + cellCount);
	// The kind of a tail is its head's: look back to it when the window starts inside an object.
	let head = TAIL;
	for (let index = firstBlock - 1; index >= 0; index--) {
		const code = cells.charCodeAt(index);
		if (code === TAIL) continue;
		head = code === FREE ? TAIL : code;
		break;
	}
	const counts = new Float64Array(128);
	const touched: number[] = [];
	let out = '';
	const end = Math.min(cells.length, firstBlock + cellCount * zoom);
	let cellEnd = Math.min(end, firstBlock + zoom);
	let at = firstBlock;
	let used = 0;
	const finishCell = () => {
		if (used === 0) {
			out += '.';
		} else {
			let best = TAIL;
			let bestCount = 0;
			for (const slot of touched) {
				const count = counts[slot] ?? 0;
				if (count > bestCount) {
					best = slot;
					bestCount = count;
				}
				counts[slot] = 0;
			}
			touched.length = 0;
			out += String.fromCharCode(best);
		}
		used = 0;
		cellEnd = Math.min(end, cellEnd + zoom);
	};
	// Runs of one letter, split at cell boundaries: an elided run is taken whole, so at the zoom that fits a
	// huge heap a cell spanning millions of blocks costs one step, and printed cells are read straight from
	// their strings rather than looked up one by one.
	const visit = (code: number, count: number) => {
		let left = count;
		let kind = code;
		if (code === FREE) head = TAIL;
		else if (code === TAIL) kind = head;
		else head = code;
		while (left > 0) {
			const take = Math.min(left, cellEnd - at);
			if (take <= 0) break;
			if (code !== FREE) {
				const slot = kind & 0x7f;
				if (counts[slot] === 0) touched.push(slot);
				counts[slot] = (counts[slot] ?? 0) + take;
				used += take;
			}
			at += take;
			left -= take;
			if (at >= cellEnd) finishCell();
		}
	};
	if (cells instanceof Cells) cells.forEachRunIn(firstBlock, end, visit);
	else for (let index = firstBlock; index < end; index++) visit(cells.charCodeAt(index), 1);
	return out;
}

/**
 * The diff marks of the same cells: a packed cell is `allocated` when any of its blocks was, else `freed`
 * when any was, else `changed` when any was.
 */
export function packMarks(marks: Uint8Array, firstBlock: number, cellCount: number, zoom: number): Uint8Array {
	const out = new Uint8Array(cellCount);
	const end = Math.min(marks.length, firstBlock + cellCount * zoom);
	for (let cell = 0, start = firstBlock; start < end; cell++, start += zoom) {
		let freed = false;
		let changed = false;
		let mark: number = BlockChange.same;
		for (let index = start; index < Math.min(end, start + zoom); index++) {
			const code = marks[index];
			if (code === BlockChange.allocated) {
				mark = BlockChange.allocated;
				break;
			}
			if (code === BlockChange.freed) freed = true;
			else if (code === BlockChange.changed) changed = true;
		}
		if (mark === BlockChange.same) mark = freed ? BlockChange.freed : changed ? BlockChange.changed : BlockChange.same;
		out[cell] = mark;
	}
	return out;
}
