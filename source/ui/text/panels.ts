import type { HeapMetrics } from '../../heap/analyze.js';
import type { HeapSnapshot } from '../../heap/model.js';
import { formatBytes, formatCount, formatPercent } from '../../present/format.js';
import { totalName } from '../../present/gc-module.js';
import { KIND_STYLES, kindStyle } from '../../present/kinds.js';
import type { MapHighlight } from '../../present/map-marks.js';
import { type CellStyle, noPainter, type Painter } from '../../present/paint.js';
import { flowItems, spread, truncate } from '../../present/text-fit.js';
import { type HistoryPoint, type LowWaterMarks, usedTrendBytesPerCollect } from '../state/history.js';
import type { Glyphs } from './glyphs.js';
import { columnOf, fitSeries, sparkline } from './sparkline.js';

/**
 * The text of the side panels, legend and history as painted lines, without React, so that each can be
 * tested as plain strings and the components stay thin.
 */

/** Green, yellow or red for a fraction where more is worse. */
export function severity(fraction: number): CellStyle {
	return { fg: fraction >= 0.5 ? 'red' : fraction >= 0.2 ? 'yellow' : 'green', bold: fraction >= 0.5 };
}

/** A `label … value` line, or two lines when both do not fit side by side. */
function pair(label: string, value: string, width: number, painter: Painter, valueStyle?: CellStyle): string[] {
	if (label.length + 1 + value.length <= width) {
		const text = spread(label, value, width);
		return [text.slice(0, width - value.length) + painter.paint(value, valueStyle)];
	}
	return [
		truncate(label, width),
		' '.repeat(Math.max(0, width - value.length)) + painter.paint(truncate(value, width), valueStyle),
	];
}

/**
 * Columns the GC panel's lines need with each value two spaces after its label (borders and padding
 * included): the panel's natural width. Warnings wrap or are cut, so they do not count.
 */
export function panelNaturalWidth(snapshot: HeapSnapshot | undefined, metrics: HeapMetrics | undefined): number {
	if (!snapshot || !metrics) return 30;
	let widest = 0;
	for (const line of gcPanelLines(snapshot, metrics, 120, noPainter)) {
		if (line.startsWith('! ')) continue;
		widest = Math.max(widest, line.trimEnd().replace(/(\S) {2,}/, '$1  ').length);
	}
	return widest + 4;
}

/**
 * How much each GC panel row answers the screen's question (will the next allocation fit?), most first: a
 * short panel drops rows from the end of this order, so the largest free run and the fragmentation stay.
 */
const GC_ROW_RANK = [
	'largest',
	'fragmentation',
	'used',
	'free',
	'warning',
	'total',
	'run',
	'counts',
	'max-block',
	'split',
] as const;
type GcRow = { kind: (typeof GC_ROW_RANK)[number]; lines: string[] };

/**
 * The GC panel: totals, used and free, the largest free run, fragmentation, block counts, warnings; in their
 * reading order, and at most `maxLines` lines of them, the least telling rows left out first.
 */
export function gcPanelLines(
	snapshot: HeapSnapshot,
	metrics: HeapMetrics,
	width: number,
	painter: Painter,
	maxLines = Number.POSITIVE_INFINITY,
): string[] {
	const rows = gcPanelRows(snapshot, metrics, width, painter);
	let count = rows.reduce((sum, row) => sum + row.lines.length, 0);
	const dropped = new Set<GcRow>();
	for (const kind of [...GC_ROW_RANK].reverse()) {
		for (let index = rows.length - 1; index >= 0 && count > maxLines; index--) {
			const row = rows[index];
			if (!row || row.kind !== kind) continue;
			dropped.add(row);
			count -= row.lines.length;
		}
	}
	return rows.filter((row) => !dropped.has(row)).flatMap((row) => row.lines);
}

function gcPanelRows(snapshot: HeapSnapshot, metrics: HeapMetrics, width: number, painter: Painter): GcRow[] {
	const { gc, counts, map } = snapshot;
	const rows: GcRow[] = [];
	const add = (kind: GcRow['kind'], lines: string[]) => rows.push({ kind, lines });
	add('total', pair(totalName(snapshot), formatBytes(gc.totalBytes), width, painter));
	add(
		'used',
		pair(
			`used ${formatPercent(metrics.usedFraction)}`,
			formatBytes(gc.usedBytes),
			width,
			painter,
			severity(metrics.usedFraction),
		),
	);
	add('free', pair('free', formatBytes(gc.freeBytes), width, painter));
	if (metrics.largestFreeBlocks !== undefined) {
		// Bytes first, as the guides ask "how big a bytearray can I get"; the run in blocks under it.
		const blocks = `${formatCount(metrics.largestFreeBlocks)} ${metrics.largestFreeBlocks === 1 ? 'block' : 'blocks'}`;
		if (metrics.largestAllocatableBytes === undefined) {
			add('largest', pair('largest free', blocks, width, painter, { fg: 'cyan' }));
		} else {
			add(
				'largest',
				pair('largest free', formatBytes(metrics.largestAllocatableBytes), width, painter, { fg: 'cyan' }),
			);
			add('run', pair('  a run of', blocks, width, painter));
		}
	}
	if (metrics.fragmentation !== undefined) {
		add(
			'fragmentation',
			pair('fragmentation', formatPercent(metrics.fragmentation), width, painter, severity(metrics.fragmentation)),
		);
	}
	const oneBlock = counts?.oneBlock ?? map?.oneBlock;
	const twoBlock = counts?.twoBlock ?? map?.twoBlock;
	if (oneBlock !== undefined && twoBlock !== undefined) {
		add('counts', pair(`1-blocks ${formatCount(oneBlock)}`, `2-blocks ${formatCount(twoBlock)}`, width, painter));
	}
	const maxBlock = counts?.maxBlockBlocks ?? map?.maxBlockBlocks;
	if (maxBlock !== undefined) {
		const blocks = `${formatCount(maxBlock)} blk`;
		const value = metrics.maxBlockBytes === undefined ? blocks : `${blocks} ${formatBytes(metrics.maxBlockBytes)}`;
		add('max-block', pair('max block', value, width, painter));
	}
	if (gc.maxNewSplitBytes !== undefined)
		add('split', pair('max new split', formatBytes(gc.maxNewSplitBytes), width, painter));
	for (const warning of snapshot.warnings) {
		add('warning', [painter.paint(truncate(`! ${warning}`, width), { fg: 'yellow' })]);
	}
	return rows;
}

/** The stack line: a bar of used out of the limit, or the bytes used alone when the firmware prints no limit. */
export function stackLine(snapshot: HeapSnapshot, width: number, painter: Painter, glyphs: Glyphs): string {
	const stack = snapshot.stack;
	if (stack === undefined) return painter.paint(truncate('not in this dump', width), { fg: 'gray' });
	if (stack.limitBytes === undefined || stack.limitBytes <= 0) {
		return spread('used (no limit printed)', formatBytes(stack.usedBytes), width);
	}
	const text = `${formatCount(stack.usedBytes)} / ${formatBytes(stack.limitBytes)}`;
	const barWidth = Math.max(0, width - text.length - 1);
	const fraction = Math.min(1, stack.usedBytes / stack.limitBytes);
	const full = Math.min(barWidth, Math.max(stack.usedBytes > 0 ? 1 : 0, Math.round(fraction * barWidth)));
	const bar =
		painter.paint(glyphs.barFull.repeat(full), severity(fraction)) +
		painter.paint(glyphs.barEmpty.repeat(barWidth - full), { fg: 'gray' });
	return barWidth > 0 ? `${bar} ${text}` : truncate(text, width);
}

/** One legend entry's plain text: `T tuple 12`; free and tail have no object count. */
function legendEntry(letter: string, name: string, objects: number | undefined): string {
	return objects === undefined ? `${letter} ${name}` : `${letter} ${name} ${formatCount(objects)}`;
}

/**
 * The legend as lines of `width`: every letter the firmware documents (plus any other letter in this map),
 * each in its own colour, with the number of objects of that kind.
 */
export function legendLines(
	snapshot: HeapSnapshot | undefined,
	width: number,
	painter: Painter,
	highlights: readonly MapHighlight[] = [],
): string[] {
	const kinds = snapshot?.map?.kinds ?? {};
	const letters = KIND_STYLES.filter((style) => !'mQq'.includes(style.letter) || kinds[style.letter] !== undefined).map(
		(style) => style.letter,
	);
	for (const letter of Object.keys(kinds)) if (!letters.includes(letter)) letters.push(letter);
	const items = letters.map((letter) => {
		const style = kindStyle(letter);
		const counted = letter === '.' || letter === '=' ? undefined : (kinds[letter]?.objects ?? 0);
		const text = legendEntry(letter, style.name, snapshot?.map ? counted : undefined);
		// Kinds this heap has none of stay listed (the legend teaches the letters) but recede.
		const absent = counted === 0;
		const painted =
			painter.paint(
				letter,
				absent ? { fg: 'gray', dim: true } : letter === '.' ? { fg: 'gray' } : { fg: style.color, bold: true },
			) + painter.paint(text.slice(1), absent ? { fg: 'gray', dim: true } : { fg: 'gray' });
		return { text: painted, width: text.length };
	});
	// The map's marks first: they are what the screen is about (where the biggest allocation goes).
	const marked = highlights.map((entry) => ({
		text: `${painter.paint(entry.letter, { ...entry.style, bold: true })} ${painter.paint(entry.label, { fg: 'gray' })}`,
		width: entry.letter.length + 1 + entry.label.length,
	}));
	return flowItems([...marked, ...items], width);
}

/**
 * The history lines: sparklines of used and of the largest free run after each collect, with the marks.
 * A live session shows its latest points and figures. A replay passes `cursor`, the index in `points` of the
 * reading shown (-1 before the first collect): the sparklines then squeeze in the whole recording, the
 * cursor's column is drawn in inverse video, and the figures are the cursor's, in slots of a fixed width so
 * that the sparklines keep their width as the cursor moves.
 */
export function historyLines(
	points: readonly HistoryPoint[],
	marks: LowWaterMarks,
	width: number,
	lines: number,
	painter: Painter,
	glyphs: Glyphs,
	cursor?: number,
): string[] {
	const labelWidth = 14;
	const replay = cursor !== undefined;
	if (points.length === 0) {
		const hint = truncate(
			replay
				? 'history: no reading taken after a collect to draw'
				: 'history: press g to collect; each collect adds a point to the sparklines',
			width,
		);
		return [painter.paint(hint, { fg: 'gray' }), ...Array.from({ length: lines - 1 }, () => '')];
	}
	const shown = replay ? points[cursor] : points[points.length - 1];
	const trend = usedTrendBytesPerCollect(replay ? points.slice(0, cursor + 1) : points);
	const usedValues = points.map((point) => point.usedBytes);
	const freeValues = points.map((point) => point.largestFreeBytes ?? point.largestFreeBlocks ?? 0);
	const freeText = (point: HistoryPoint | undefined) =>
		point === undefined
			? '-'
			: point.largestFreeBytes !== undefined
				? formatBytes(point.largestFreeBytes)
				: `${formatCount(point.largestFreeBlocks ?? 0)} blk`;
	// In a replay the widest figure of the recording sets each slot's width.
	const usedNowWidth = replay ? formatBytes(Math.max(...usedValues)).length : 0;
	const freeNowWidth = replay ? Math.max(...points.map((point) => freeText(point).length)) : 0;
	const trendText =
		trend === undefined || Math.abs(trend) < 1
			? ''
			: `${trend > 0 ? '+' : '-'}${formatBytes(Math.round(Math.abs(trend)))}/gc`;
	const used = {
		label: 'used after gc',
		values: usedValues,
		pick: 'max' as const,
		now: (shown ? formatBytes(shown.usedBytes) : '-').padStart(usedNowWidth),
		mark: [marks.peakUsedBytes === undefined ? '' : `peak ${formatBytes(marks.peakUsedBytes)}`, trendText]
			.filter((part) => part !== '')
			.join('  '),
		// Room for a trend of up to ±99,999 B/gc, so that one appearing does not shrink the sparkline.
		markWidth: replay && marks.peakUsedBytes !== undefined ? `peak ${formatBytes(marks.peakUsedBytes)}`.length + 14 : 0,
		style: { fg: 'yellow' } as CellStyle,
	};
	const largest = {
		label: 'largest free',
		values: freeValues,
		pick: 'min' as const,
		now: freeText(shown).padStart(freeNowWidth),
		mark:
			marks.lowestLargestFreeBytes !== undefined
				? `low ${formatBytes(marks.lowestLargestFreeBytes)}`
				: marks.lowestLargestFreeBlocks !== undefined
					? `low ${formatCount(marks.lowestLargestFreeBlocks)} blk`
					: '',
		markWidth: 0,
		style: { fg: 'cyan' } as CellStyle,
	};
	const series = lines >= 2 ? [used, largest] : [used];
	const breaks = { starts: points.map((point) => point.segmentStart === true), glyph: glyphs.segmentBreak };
	const tailOf = (entry: typeof used | typeof largest) => `${entry.now}${entry.mark === '' ? '' : `  ${entry.mark}`}`;
	const roomOf = (entry: typeof used | typeof largest) => {
		const reserved = entry.markWidth > 0 ? entry.now.length + 2 + entry.markWidth : 0;
		const tailWidth = Math.max(tailOf(entry).length, reserved);
		return Math.max(0, Math.min(points.length, width - labelWidth - tailWidth - 2));
	};
	// A replay's sparklines share one width, so that the cursor stands in the same column on both.
	const sharedWidth = replay ? Math.min(...series.map(roomOf)) : undefined;
	return series.map((entry) => {
		const tail = tailOf(entry);
		const sparkWidth = sharedWidth ?? roomOf(entry);
		const plain = `${entry.label.padEnd(labelWidth)}${' '.repeat(sparkWidth)}  ${tail}`;
		if (plain.length > width) return truncate(`${entry.label} ${tail}`, width);
		const label = painter.paint(entry.label.padEnd(labelWidth), { fg: 'gray' });
		if (!replay)
			return `${label}${painter.paint(sparkline(entry.values, sparkWidth, glyphs.spark, false, breaks), entry.style)}  ${tail}`;
		const spark = sparkline(fitSeries(entry.values, sparkWidth, entry.pick), sparkWidth, glyphs.spark);
		const at = cursor < 0 ? -1 : columnOf(cursor, points.length, sparkWidth);
		const painted =
			at < 0
				? painter.paint(spark, entry.style)
				: painter.paint(spark.slice(0, at), entry.style) +
					painter.paint(spark.slice(at, at + 1), { ...entry.style, inverse: true }) +
					painter.paint(spark.slice(at + 1), entry.style);
		return `${label}${painted}  ${tail}`;
	});
}

/** The extra column on wide terminals: objects, blocks and bytes per kind, then the free runs by size. */
export function kindsPanelLines(
	metrics: HeapMetrics,
	width: number,
	painter: Painter,
	glyphs: Glyphs,
	withRuns = true,
): string[] {
	const letters = Object.keys(metrics.kinds).filter((letter) => letter !== '.' && letter !== '=');
	letters.sort((a, b) => (metrics.kinds[b]?.blocks ?? 0) - (metrics.kinds[a]?.blocks ?? 0));
	const rows = letters.flatMap((letter) => {
		const kind = metrics.kinds[letter];
		if (!kind) return [];
		const style = kindStyle(letter);
		const size = kind.bytes === undefined ? `${formatCount(kind.blocks)} blk` : formatBytes(kind.bytes);
		return [{ letter, style, name: `${letter} ${style.name}`, count: formatCount(kind.objects), size }];
	});
	// The figures keep their full width and the name gives way: a count cut to an ellipsis says nothing.
	const countWidth = Math.max('objects'.length, ...rows.map((row) => row.count.length));
	const sizeWidth = Math.max('bytes'.length, ...rows.map((row) => row.size.length));
	const nameWidth = Math.max(1, width - countWidth - sizeWidth - 2);
	const line = (name: string, count: string, size: string) =>
		truncate(
			`${truncate(name, nameWidth).padEnd(nameWidth)} ${count.padStart(countWidth)} ${size.padStart(sizeWidth)}`,
			width,
		);
	const lines: string[] = [painter.paint(line('kind', 'objects', 'bytes'), { fg: 'gray' })];
	for (const row of rows) {
		const text = line(row.name, row.count, row.size);
		lines.push(painter.paint(text.slice(0, 1), { fg: row.style.color, bold: true }) + text.slice(1));
	}
	const runs = withRuns ? freeRunLines(metrics, width, painter, glyphs) : [];
	if (runs.length > 0)
		lines.push('', painter.paint(spread('free runs (blocks)', 'runs', width), { fg: 'gray' }), ...runs);
	return lines;
}

/**
 * The free runs by size, one power-of-two bucket a line with a bar of its count, largest runs first when
 * `largestFirst` (a short panel then keeps the runs a big allocation could use).
 */
export function freeRunLines(
	metrics: HeapMetrics,
	width: number,
	painter: Painter,
	glyphs: Glyphs,
	largestFirst = false,
): string[] {
	const buckets = metrics.freeRunHistogram.filter((bucket) => bucket.runs > 0);
	if (largestFirst) buckets.reverse();
	const most = Math.max(1, ...buckets.map((bucket) => bucket.runs));
	const labelWidth = Math.min(
		12,
		Math.max(...buckets.map((bucket) => `${bucket.minBlocks}-${bucket.maxBlocks}`.length), 1) + 1,
	);
	return buckets.map((bucket) => {
		const range =
			bucket.minBlocks === bucket.maxBlocks ? `${bucket.minBlocks}` : `${bucket.minBlocks}-${bucket.maxBlocks}`;
		const label = range.padEnd(labelWidth);
		const count = formatCount(bucket.runs);
		const barWidth = Math.max(0, width - label.length - count.length - 2);
		const bar = glyphs.barFull.repeat(Math.min(barWidth, Math.max(1, Math.round((bucket.runs / most) * barWidth))));
		return `${label}${painter.paint(bar, { fg: 'cyan' })}${' '.repeat(Math.max(1, width - label.length - bar.length - count.length))}${count}`;
	});
}
