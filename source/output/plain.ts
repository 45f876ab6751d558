import { analyzeSnapshot } from '../heap/analyze.js';
import type { Cells } from '../heap/cells.js';
import type { HeapSnapshot } from '../heap/model.js';
import { formatBlocks, formatBytes, formatCount, formatPercent } from '../present/format.js';
import { noMapText, totalName } from '../present/gc-module.js';
import { type ColorName, KIND_STYLES, kindStyle } from '../present/kinds.js';
import { DUMP_CELLS_PER_ROW } from '../present/map-layout.js';
import { areaTitle, paintRow, rowLabel } from '../present/map-rows.js';
import { createPainter, noPainter, type Painter } from '../present/paint.js';
import { formatBlockerRows } from './why-plain.js';

/** How the plain printer writes: with ANSI colour or without. */
export type PlainOptions = { color: boolean };

const CELLS_PER_ROW = DUMP_CELLS_PER_ROW;
/** Text lines stay within this many columns, so that `inspect` reads well in an 80-column terminal. */
const WIDTH = 80;
const INDENT = 10;
const FREE_ROW = '.'.repeat(CELLS_PER_ROW);
const FREE = 0x2e; // '.'

const colorPainter = createPainter(true);

/** The one painter (`present/paint.ts`) with colour, or none at all: plain text goes to pipes and files too. */
export function plainPainter(options: PlainOptions): Painter {
	return options.color ? colorPainter : noPainter;
}

/** Paints text with one of the 16 colours when colour is on (dim for what recedes). */
export function paint(text: string, color: ColorName, options: PlainOptions, dim = false): string {
	return plainPainter(options).paint(text, dim ? { fg: color, dim } : { fg: color });
}

/** The summary, the kinds, the warnings and the whole map with its legend, as `heaptop inspect` prints it. */
export function formatSnapshotText(snapshot: HeapSnapshot, options: PlainOptions): string {
	return `${formatSummary(snapshot, options)}\n\n${formatMap(snapshot, options)}`;
}

/** Joins items with a separator into lines of at most `width` columns. */
function wrapItems(items: string[], width: number, separator = ' · '): string[] {
	const lines: string[] = [];
	let line = '';
	for (const item of items) {
		const next = line.length === 0 ? item : `${line}${separator}${item}`;
		if (next.length > width && line.length > 0) {
			lines.push(line);
			line = item;
		} else {
			line = next;
		}
	}
	if (line.length > 0) lines.push(line);
	return lines;
}

/** Every figure with its unit, blocks and bytes side by side. */
export function formatSummary(snapshot: HeapSnapshot, options: PlainOptions): string {
	const metrics = analyzeSnapshot(snapshot);
	const { gc, counts, stack, map, bytesPerBlock } = snapshot;
	const lines: string[] = [];
	const row = (name: string, text: string) => lines.push(`${paint(name.padEnd(INDENT), 'cyan', options)}${text}`);
	const rows = (name: string, items: string[]) => {
		wrapItems(items, WIDTH - INDENT).forEach((text, index) => {
			row(index === 0 ? name : '', text);
		});
	};

	const grows = snapshot.gcModuleOnly?.mayGrow === true;
	row(
		'GC',
		`${totalName(snapshot)} ${formatBytes(gc.totalBytes)}${grows ? ' (used + mem_free: the heap grows)' : ''} · used ${formatBytes(gc.usedBytes)} (${formatPercent(metrics.usedFraction)}) · free ${formatBytes(gc.freeBytes)}`,
	);
	if (gc.maxNewSplitBytes !== undefined) {
		row(
			'new split',
			gc.maxNewSplitBytes === 0
				? 'the heap cannot grow: no new area can be added (max new split 0 B)'
				: `${formatBytes(gc.maxNewSplitBytes)} more could be added as a new heap area (max new split)`,
		);
	}
	const cutOff = 'unknown (the map is cut off)';
	if (metrics.largestFreeBlocks !== undefined) {
		row('largest', `free run ${formatBlocks(metrics.largestFreeBlocks, bytesPerBlock)}, the biggest allocation now`);
	} else if (metrics.mapCutOff) {
		row('largest', `free run ${cutOff}`);
	}
	if (metrics.fragmentation !== undefined) {
		row('frag', `${formatPercent(metrics.fragmentation)} of free memory is outside the largest free run`);
	} else if (metrics.mapCutOff) {
		row('frag', cutOff);
	}
	lines.push(...formatBlockerRows(snapshot, options, 3));
	const blockParts: string[] = [];
	if (bytesPerBlock !== undefined) blockParts.push(`${bytesPerBlock} B each`);
	if (map) {
		const areas = snapshot.areas.length;
		blockParts.push(`${formatCount(map.blocks)} blocks in ${areas} area${areas === 1 ? '' : 's'}`);
		blockParts.push(`map ${CELLS_PER_ROW} blocks a row, 1 cell = 1 block`);
	}
	if (blockParts.length > 0) rows('blocks', blockParts);
	const countParts: string[] = [];
	const whole = map?.complete === true ? map : undefined;
	const oneBlock = counts?.oneBlock ?? whole?.oneBlock;
	const twoBlock = counts?.twoBlock ?? whole?.twoBlock;
	if (oneBlock !== undefined) countParts.push(`1-blocks ${formatCount(oneBlock)}`);
	if (twoBlock !== undefined) countParts.push(`2-blocks ${formatCount(twoBlock)}`);
	const maxBlock = counts?.maxBlockBlocks ?? whole?.maxBlockBlocks;
	if (maxBlock !== undefined) countParts.push(`max block ${formatBlocks(maxBlock, bytesPerBlock)}`);
	// The firmware's own longest free run, named so, apart from the `largest` figure the map may have given.
	if (counts?.maxFreeBlocks !== undefined)
		countParts.push(`max free sz ${formatBlocks(counts.maxFreeBlocks, bytesPerBlock)}`);
	if (countParts.length > 0) rows('counts', countParts);
	if (stack) row('stack', stackText(stack.usedBytes, stack.limitBytes));
	if (snapshot.mem) {
		row(
			'mem',
			`total ${formatBytes(snapshot.mem.totalBytes)} · current ${formatBytes(snapshot.mem.currentBytes)} · peak ${formatBytes(snapshot.mem.peakBytes)} (MICROPY_MEM_STATS)`,
		);
	}
	if (metrics.freeRunHistogram.length > 0) {
		const buckets = metrics.freeRunHistogram
			.filter((bucket) => bucket.runs > 0)
			.map((bucket) => {
				const range =
					bucket.minBlocks === bucket.maxBlocks ? `${bucket.minBlocks}` : `${bucket.minBlocks}-${bucket.maxBlocks}`;
				return `${range}: ${bucket.runs}`;
			});
		rows('free runs', ['length in blocks: number of runs', ...buckets]);
	}
	const kinds = Object.entries(metrics.kinds)
		.filter(([letter]) => letter !== '.' && letter !== '=')
		.sort(([, a], [, b]) => b.blocks - a.blocks);
	if (metrics.mapCutOff) row('kinds', cutOff);
	kinds.forEach(([letter, kind], index) => {
		const style = kindStyle(letter);
		const bytes = kind.bytes === undefined ? '' : `  ${formatBytes(kind.bytes).padStart(12)}`;
		const objects = `${formatCount(kind.objects).padStart(7)} ${kind.objects === 1 ? 'object ' : 'objects'}`;
		const text = `${paint(letter, style.color, options)} ${style.name.padEnd(9)} ${objects} ${formatCount(kind.blocks).padStart(8)} ${kind.blocks === 1 ? 'block ' : 'blocks'}${bytes}`;
		row(index === 0 ? 'kinds' : '', text);
	});
	if (snapshot.warnings.length === 0) row('warnings', 'none: the map agrees with the summary');
	snapshot.warnings.forEach((warning, index) => {
		row(index === 0 ? 'warnings' : '', paint(warning, 'yellow', options));
	});
	return lines.join('\n');
}

/**
 * The map, 64 blocks a row with byte-offset labels, runs of all-free rows folded as the firmware does. The
 * rows and area titles are painted by the live screen's painter (`present/map-rows.ts`), so that both show
 * the same letters in the same colours under the same titles.
 */
export function formatMap(snapshot: HeapSnapshot, options: PlainOptions): string {
	if (snapshot.areas.length === 0) return `map       none: ${noMapText(snapshot)}`;
	const painter = plainPainter(options);
	const lines: string[] = [];
	snapshot.areas.forEach((area, areaIndex) => {
		// 64 blocks a row at 1:1; every area gets its title, a single one too, so the address shows.
		lines.push(areaTitle(snapshot, areaIndex, area.address || 'unknown', area.cells.length, painter));
		const rows = Math.ceil(area.cells.length / CELLS_PER_ROW);
		for (let rowIndex = 0; rowIndex < rows; rowIndex++) {
			const freeRows = freeRowsFrom(area.cells, rowIndex, rows);
			if (freeRows >= 2) {
				lines.push(painter.paint(`         (${formatCount(freeRows)} rows all free)`, { fg: 'gray', dim: true }));
				rowIndex += freeRows - 1;
				continue;
			}
			// At one block a cell a row is its blocks as they are: painted straight from the cells, as the
			// live screen paints its rows, without the screen's plan of lines, which a row at a time costs
			// most of a big map's printing.
			const firstBlock = rowIndex * CELLS_PER_ROW;
			const label = rowLabel(firstBlock, snapshot.bytesPerBlock, 8);
			lines.push(paintRow(label, area.cells.slice(firstBlock, firstBlock + CELLS_PER_ROW), painter));
		}
	});
	const shown = KIND_STYLES.filter((style) => style.letter !== 'Q' && style.letter !== 'q' && style.letter !== 'm');
	// Wrap on the plain text, then paint each letter, so that escape codes do not count as columns.
	wrapItems(
		shown.map((style) => `${style.letter} ${style.name}`),
		WIDTH - 9,
		'  ',
	).forEach((text, index) => {
		const painted = text.replace(
			/(^| {2})(\S) /g,
			(_, gap: string, letter: string) => `${gap}${paint(letter, kindStyle(letter).color, options)} `,
		);
		lines.push(`${index === 0 ? paint('legend', 'cyan', options) : '      '}   ${painted}`);
	});
	return lines.join('\n');
}

/**
 * How many whole free rows start at `rowIndex` (the area's last row is never folded, as the firmware
 * prints it). Elided runs are taken whole, so a claimed 2^30 free rows cost one step, not 2^30.
 */
function freeRowsFrom(cells: Cells, rowIndex: number, rowCount: number): number {
	let row = rowIndex;
	while (row < rowCount - 1) {
		const start = row * CELLS_PER_ROW;
		// Most rows of a used heap start with a used block: they are told apart without reading the row.
		if (cells.charCodeAt(start) !== FREE) break;
		const runEnd = cells.repeatEnd(start);
		if (runEnd - start >= CELLS_PER_ROW) {
			row = Math.min(rowCount - 1, Math.floor(runEnd / CELLS_PER_ROW));
			continue;
		}
		if (cells.slice(start, start + CELLS_PER_ROW) !== FREE_ROW) break;
		row++;
	}
	return row - rowIndex;
}

/**
 * The stack row. A stack over its limit, or a limit of 0 (a damaged line), gets no share and no headroom,
 * which would read `Infinity %` and `-368 B headroom`: it is said to be over, and the warnings say why.
 */
function stackText(usedBytes: number, limitBytes: number | undefined): string {
	if (limitBytes === undefined) return `${formatBytes(usedBytes)} used (this firmware prints no limit)`;
	if (usedBytes > limitBytes || limitBytes <= 0) {
		return `${formatBytes(usedBytes)} of ${formatBytes(limitBytes)}: over its limit (see warnings)`;
	}
	return `${formatBytes(usedBytes)} of ${formatBytes(limitBytes)} (${formatPercent(usedBytes / limitBytes)}) · ${formatBytes(limitBytes - usedBytes)} headroom`;
}
