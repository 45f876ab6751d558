import { CellsBuilder } from './cells.js';
import type { HeapArea, HeapSnapshot, LabelStyle, MapFigures } from './model.js';
import { scanCells } from './scan-cells.js';

/** A table section as read so far: printed rows are joined once, at the end; an elision is one run. */
export type OpenArea = {
	address: string;
	declaredBytes?: number;
	cells: CellsBuilder;
	/** Each printed row's label, at its row index counted from the area start (elisions add their N). */
	labels: { row: number; label: string; cellCount: number }[];
	rowCount: number;
};

/** An empty table section. */
export function openArea(address: string): OpenArea {
	return { address, cells: new CellsBuilder(), labels: [], rowCount: 0 };
}

/** A dump as read so far. `stage` is the last line kind seen: 1 mem, 2 stack, 3 GC, 4 counts, 5 table. */
export type OpenDump = {
	stage: number;
	lines: string[];
	mem?: HeapSnapshot['mem'];
	stack?: HeapSnapshot['stack'];
	gc?: HeapSnapshot['gc'];
	counts?: HeapSnapshot['counts'];
	areas: OpenArea[];
	labelDigits?: number;
	forkHeaders?: boolean;
	/** The table printed `t` for tails (before v1.8.1). */
	oldTails?: boolean;
	/** What the parser already found wrong while reading lines (numbers beyond 2^53, absurd elisions). */
	warnings: string[];
	/** A table line was left out of the map (an absurd elision), so the map is no longer whole. */
	mapDamaged?: boolean;
	/** Why the dump cannot be a snapshot although it has a GC line: the line's figures cannot be held. */
	rejected?: string;
	/** Table lines taken so far (rows, headers, elisions): the GC total bounds them. */
	tableLines?: number;
};

/** An empty dump, ready for its first line. */
export function openDump(): OpenDump {
	return { stage: 0, lines: [], areas: [], warnings: [] };
}

/** Letters the firmware prints (protocol.md §6.3); `t` was the tail before v1.8.1, `Q`/`q` only in custom builds. */
const KNOWN_LETTERS = new Set(['.', '=', 'h', 'm', 'T', 'L', 'D', 'S', 'A', 'F', 'B', 'M', 'Q', 'q']);
const CELLS_PER_ROW = 64;
/** At most this many warnings of one kind are listed, then a count of the rest. */
const LISTED = 3;

/** Turns a finished dump into a snapshot, checking the map against the summary; undefined without a GC line. */
export function finishDump(dump: OpenDump): HeapSnapshot | undefined {
	const gc = dump.gc;
	if (!gc) return undefined;
	const warnings: string[] = [...dump.warnings];
	const snapshot: HeapSnapshot = { gc, areas: [], warnings, text: dump.lines.join('\n') };
	if (dump.mem) snapshot.mem = dump.mem;
	if (dump.stack) snapshot.stack = dump.stack;
	if (dump.counts) snapshot.counts = dump.counts;
	else warnings.push('the " No. of 1-blocks…" line is missing: the dump was cut off after the GC line');
	if (gc.usedBytes + gc.freeBytes !== gc.totalBytes) {
		warnings.push(`GC used ${gc.usedBytes} B + free ${gc.freeBytes} B is not the total ${gc.totalBytes} B`);
	}
	checkPossible(snapshot, warnings);
	if (dump.areas.length === 0) return snapshot;

	const areas: HeapArea[] = [];
	for (const open of dump.areas) {
		const area: HeapArea = { address: open.address, cells: open.cells.build() };
		if (open.declaredBytes !== undefined) area.declaredBytes = open.declaredBytes;
		areas.push(area);
	}
	snapshot.areas = areas;
	if (dump.oldTails) snapshot.oldTails = true;
	checkRowLengths(dump.areas, warnings);

	const map = scanCells(areas);
	snapshot.map = map;
	const labelDigits = dump.labelDigits ?? 8;
	const fromLabels = bytesPerBlockFromLabels(dump.areas, labelDigits);
	// Without two labelled rows to measure, total ÷ blocks is the block size only if the map is whole: a cut-off
	// paste divides the total by too few blocks. The map's used and free agreeing with the summary says it is.
	const fromTotal = map.blocks > 0 && gc.totalBytes % map.blocks === 0 ? gc.totalBytes / map.blocks : undefined;
	const totalAgrees =
		fromTotal !== undefined &&
		isPlausible(fromTotal) &&
		map.freeBlocks * fromTotal === gc.freeBytes &&
		map.usedBlocks * fromTotal === gc.usedBytes;
	const bytesPerBlock = fromLabels ?? (totalAgrees ? fromTotal : undefined);
	if (bytesPerBlock !== undefined) snapshot.bytesPerBlock = bytesPerBlock;
	else warnings.push('the block size cannot be told from this dump: its rows and GC total do not agree');

	if (bytesPerBlock !== undefined) {
		const style = labelStyleOf(dump.areas, labelDigits, bytesPerBlock);
		if (style) snapshot.labelStyle = style;
		checkLabels(dump.areas, labelDigits, bytesPerBlock, style, warnings);
		checkDeclaredSizes(dump.areas, areas, bytesPerBlock, warnings);
		const complete = map.blocks * bytesPerBlock === gc.totalBytes && dump.mapDamaged !== true;
		map.complete = complete;
		if (map.blocks * bytesPerBlock !== gc.totalBytes) {
			warnings.push(
				`the map holds ${map.blocks} blocks (${map.blocks * bytesPerBlock} B) but GC total is ${gc.totalBytes} B: the dump is cut off or damaged`,
			);
		} else {
			checkSummary(snapshot, map, bytesPerBlock, warnings);
		}
	}
	if (bytesPerBlock !== undefined) checkPossibleInBytes(snapshot, bytesPerBlock, warnings);
	const unknown = Object.keys(map.kinds).filter((letter) => !KNOWN_LETTERS.has(letter));
	if (unknown.length > 0) {
		warnings.push(`unknown cell letters ${unknown.join(' ')} are counted as other heads`);
	}
	if (map.orphanTailBlocks > 0) {
		warnings.push(`${map.orphanTailBlocks} tail blocks (=) have no head before them: the map is damaged`);
	}
	return snapshot;
}

function isPlausible(bytesPerBlock: number): boolean {
	// MICROPY_BYTES_PER_GC_BLOCK is a power of two: 16 on 32-bit ports, 32 on 64-bit; a few ports override it.
	return (
		Number.isInteger(bytesPerBlock) &&
		bytesPerBlock >= 4 &&
		bytesPerBlock <= 1024 &&
		(bytesPerBlock & (bytesPerBlock - 1)) === 0
	);
}

/** Label step ÷ 64, from the closest pair of labelled rows; labels wrap at 20 bits in the 5-digit formats. */
function bytesPerBlockFromLabels(areas: readonly OpenArea[], labelDigits: number): number | undefined {
	const modulus = labelDigits === 5 ? 0x100000 : 0x100000000;
	let best: { rows: number; bytesPerBlock: number } | undefined;
	for (const area of areas) {
		for (let index = 1; index < area.labels.length; index++) {
			const before = area.labels[index - 1];
			const after = area.labels[index];
			if (!before || !after) continue;
			const rows = after.row - before.row;
			const step =
				(((Number.parseInt(after.label, 16) - Number.parseInt(before.label, 16)) % modulus) + modulus) % modulus;
			const candidate = step / (rows * CELLS_PER_ROW);
			if (rows > 0 && isPlausible(candidate) && (!best || rows < best.rows)) best = { rows, bytesPerBlock: candidate };
			if (best?.rows === 1) return best.bytesPerBlock;
		}
	}
	return best?.bytesPerBlock;
}

function labelStyleOf(areas: readonly OpenArea[], labelDigits: number, bytesPerBlock: number): LabelStyle | undefined {
	if (labelDigits === 8) return 'offset8';
	const first = areas[0];
	const firstLabel = first?.labels[0];
	if (!first || !firstLabel) return undefined;
	const base = baseOf(firstLabel, bytesPerBlock, 0x100000);
	// Before v1.8.1 labels were the absolute address masked to 20 bits; after, offsets from the area start.
	if (base !== 0 && base === Number.parseInt(first.address || '0', 16) % 0x100000) return 'absolute5';
	return 'offset5';
}

/** The label row 0 would carry, given one labelled row. */
function baseOf(entry: { row: number; label: string }, bytesPerBlock: number, modulus: number): number {
	const value = Number.parseInt(entry.label, 16) - entry.row * CELLS_PER_ROW * bytesPerBlock;
	return ((value % modulus) + modulus) % modulus;
}

function checkLabels(
	areas: readonly OpenArea[],
	labelDigits: number,
	bytesPerBlock: number,
	style: LabelStyle | undefined,
	warnings: string[],
): void {
	const modulus = labelDigits === 5 ? 0x100000 : 0x100000000;
	const wrong: string[] = [];
	for (const area of areas) {
		const base = style === 'absolute5' ? Number.parseInt(area.address || '0', 16) % modulus : 0;
		for (const entry of area.labels) {
			const expected = (base + entry.row * CELLS_PER_ROW * bytesPerBlock) % modulus;
			if (Number.parseInt(entry.label, 16) !== expected) {
				wrong.push(`row ${entry.label} where ${expected.toString(16).padStart(labelDigits, '0')} was expected`);
			}
		}
	}
	if (wrong.length > 0) {
		const more = wrong.length > LISTED ? ` and ${wrong.length - LISTED} more` : '';
		warnings.push(
			`row labels out of sequence (a row is missing or damaged): ${wrong.slice(0, LISTED).join(', ')}${more}`,
		);
	}
}

function checkRowLengths(areas: readonly OpenArea[], warnings: string[]): void {
	const wrong: string[] = [];
	for (const area of areas) {
		area.labels.forEach((entry, index) => {
			// Only the last row of an area may be short: areas are a multiple of 4 blocks, not of 64.
			const isLast = index === area.labels.length - 1 && entry.row === area.rowCount - 1;
			const bad = entry.cellCount > CELLS_PER_ROW || (!isLast && entry.cellCount !== CELLS_PER_ROW);
			if (bad) wrong.push(`row ${entry.label} has ${entry.cellCount} cells`);
		});
	}
	if (wrong.length > 0) {
		const more = wrong.length > LISTED ? ` and ${wrong.length - LISTED} more` : '';
		warnings.push(`damaged rows (64 cells expected): ${wrong.slice(0, LISTED).join(', ')}${more}`);
	}
}

function checkDeclaredSizes(
	open: readonly OpenArea[],
	areas: readonly HeapArea[],
	bytesPerBlock: number,
	warnings: string[],
): void {
	areas.forEach((area, index) => {
		const declared = open[index]?.declaredBytes;
		if (declared !== undefined && declared !== area.cells.length * bytesPerBlock) {
			warnings.push(`area #${index} says size ${declared} B but its map holds ${area.cells.length * bytesPerBlock} B`);
		}
	});
}

function checkSummary(snapshot: HeapSnapshot, map: MapFigures, bytesPerBlock: number, warnings: string[]): void {
	const { gc, counts } = snapshot;
	const differences: string[] = [];
	const compare = (name: string, fromMap: number, fromSummary: number | undefined, unit: string) => {
		if (fromSummary !== undefined && fromMap !== fromSummary) {
			differences.push(`${name} ${fromMap}${unit} (summary says ${fromSummary}${unit})`);
		}
	};
	compare('used', map.usedBlocks * bytesPerBlock, gc.usedBytes, ' B');
	compare('free', map.freeBlocks * bytesPerBlock, gc.freeBytes, ' B');
	if (counts) {
		compare('1-blocks', map.oneBlock, counts.oneBlock, '');
		compare('2-blocks', map.twoBlock, counts.twoBlock, '');
		compare('max blk sz', map.maxBlockBlocks, counts.maxBlockBlocks, ' blocks');
		compare('max free sz', map.maxFreeBlocks, counts.maxFreeBlocks, ' blocks');
	}
	if (differences.length > 0) warnings.push(`the map disagrees with the summary: ${differences.join(', ')}`);
}

/** Figures no firmware prints together; each is named, so that a warning is never "none" beside them. */
function checkPossible(snapshot: HeapSnapshot, warnings: string[]): void {
	const { gc, stack, mem } = snapshot;
	if (gc.usedBytes > gc.totalBytes)
		warnings.push(`GC used ${gc.usedBytes} B is more than the total ${gc.totalBytes} B`);
	if (gc.freeBytes > gc.totalBytes)
		warnings.push(`GC free ${gc.freeBytes} B is more than the total ${gc.totalBytes} B`);
	if (stack?.limitBytes !== undefined && stack.usedBytes > stack.limitBytes) {
		warnings.push(`stack used ${stack.usedBytes} B is over its limit ${stack.limitBytes} B`);
	}
	if (mem && mem.currentBytes > mem.peakBytes) {
		warnings.push(`mem current ${mem.currentBytes} B is more than its peak ${mem.peakBytes} B`);
	}
}

/** The block counts of the summary against its byte figures, once the block size is known. */
function checkPossibleInBytes(snapshot: HeapSnapshot, bytesPerBlock: number, warnings: string[]): void {
	const { gc, counts } = snapshot;
	if (counts?.maxFreeBlocks !== undefined && counts.maxFreeBlocks * bytesPerBlock > gc.freeBytes) {
		warnings.push(
			`max free sz ${counts.maxFreeBlocks} blocks (${counts.maxFreeBlocks * bytesPerBlock} B) is more than GC free ${gc.freeBytes} B`,
		);
	}
	if (counts && counts.maxBlockBlocks * bytesPerBlock > gc.usedBytes) {
		warnings.push(
			`max blk sz ${counts.maxBlockBlocks} blocks (${counts.maxBlockBlocks * bytesPerBlock} B) is more than GC used ${gc.usedBytes} B`,
		);
	}
}
