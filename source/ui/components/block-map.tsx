import { memo, useLayoutEffect, useMemo, useRef } from 'react';
import type { HeapSnapshot } from '../../heap/model.js';
import { formatBytes, formatCount } from '../../present/format.js';
import { noMapText } from '../../present/gc-module.js';
import type { MapHighlight } from '../../present/map-marks.js';
import { type AreaMarks, paintMapLines } from '../../present/map-rows.js';
import type { Painter } from '../../present/paint.js';
import type { MapGeometry } from '../layout/map-geometry.js';
import type { OverlaySink } from '../layout/overlay.js';
import type { Rect } from '../layout/screen-layout.js';
import type { Glyphs } from '../text/glyphs.js';
import { Frame } from './frame.js';

/** Counts of the diff shown, for the map's bottom border. */
export type DiffCounts = { freedBlocks: number; allocatedBlocks: number; changedBlocks: number };

/** Props of the block map. */
export type BlockMapProps = {
	snapshot: HeapSnapshot | undefined;
	/** `map 12 s old`: said in the title when figures newer than the map are shown beside it. */
	age?: string;
	geometry: MapGeometry;
	width: number;
	height: number;
	marks?: AreaMarks;
	highlights?: readonly MapHighlight[];
	diff?: DiffCounts;
	painter: Painter;
	glyphs: Glyphs;
	/** When set, the painted rows go here, to be placed at the frame's inside on the screen (`inner`, from
	 * the layout), and Ink draws the box with a blank inside (see overlay.ts). */
	overlaySink?: OverlaySink;
	inner?: Rect;
};

/** The map's title: the heap's size as the GC panel words it, the block size, and the scale of a cell. */
export function mapTitle(
	snapshot: HeapSnapshot | undefined,
	zoom: number,
	width: number,
	dot: string,
	fitted = false,
	age?: string,
): string {
	if (!snapshot) return 'heap';
	const blocks = zoom === 1 ? '1 block' : `${formatCount(zoom)} blocks`;
	const scale = `1 cell = ${blocks}${fitted ? ' (fit)' : ''}`;
	const parts = [`heap ${formatBytes(snapshot.gc.totalBytes)}`];
	// The age goes first after the size: when the title is short of room, it is the one thing kept with the scale.
	if (age) parts.push(age);
	if (snapshot.bytesPerBlock !== undefined) parts.push(`${snapshot.bytesPerBlock} B a block`);
	parts.push(scale);
	const full = parts.join(` ${dot} `);
	if (full.length <= width) return full;
	const shorter = [parts[0], age, scale].filter(Boolean).join(` ${dot} `);
	if (shorter.length <= width) return shorter;
	const least = [age, scale].filter(Boolean).join(` ${dot} `);
	return least.length <= width ? least : scale;
}

/** The diff's counts in words, in blocks, each labelled; a zero count is left out. */
export function diffWords(diff: DiffCounts): string {
	const parts: string[] = [];
	if (diff.freedBlocks > 0) parts.push(`${formatCount(diff.freedBlocks)} freed`);
	if (diff.allocatedBlocks > 0) parts.push(`${formatCount(diff.allocatedBlocks)} new`);
	if (diff.changedBlocks > 0) parts.push(`${formatCount(diff.changedBlocks)} reused`);
	return parts.length === 0 ? 'no block changed' : `blocks: ${parts.join(', ')}`;
}

/**
 * The block map in its frame: only the visible lines are packed and painted, and painted rows are kept
 * across frames (keyed by their letters and marks), so scrolling or a new reading repaints only what changed.
 */
export const BlockMap = memo(function BlockMap(props: BlockMapProps) {
	const { snapshot, geometry, painter, glyphs, width, height } = props;
	const cache = useRef<{ painter: Painter; rows: Map<string, string> }>({ painter, rows: new Map() });
	if (cache.current.painter !== painter || cache.current.rows.size > 4096) {
		cache.current = { painter, rows: new Map() };
	}
	const { lines, rows } = useMemo(() => {
		if (!snapshot)
			return { lines: [painter.paint(`waiting for the first reading${glyphs.ellipsis}`, { fg: 'gray' })], rows: false };
		if (snapshot.areas.length === 0) {
			const summary = snapshot.gcModuleOnly
				? // Two lines, cut after the colon: a map box is narrower than the sentence.
					noMapText(snapshot)
						.split(/(?<=:) /)
						.map((line) => painter.paint(line, { fg: 'gray' }))
				: [
						painter.paint('this dump has no block map: it is a summary only', { fg: 'gray' }),
						painter.paint('(mem_info() without 1, or a firmware without it)', { fg: 'gray' }),
					];
			return { lines: summary, rows: false };
		}
		const painted = paintMapLines({
			snapshot,
			plan: geometry.plan,
			firstLine: geometry.firstLine,
			lineCount: geometry.windowLines,
			labelDigits: geometry.labelDigits,
			...(props.marks ? { marks: props.marks } : {}),
			...(props.highlights ? { highlights: props.highlights } : {}),
			painter,
			dot: glyphs.dot,
			cache: cache.current.rows,
		}).map((line) => line.text);
		return { lines: painted, rows: true };
	}, [snapshot, geometry, props.marks, props.highlights, painter, glyphs]);
	const { overlaySink, inner } = props;
	const external = overlaySink !== undefined && inner !== undefined && rows;
	const row = inner?.row ?? 0;
	const column = inner?.column ?? 0;
	const innerWidth = inner?.width ?? 0;
	// A layout effect: the frame writer gets the rows in the same commit as Ink's frame with the blank box.
	useLayoutEffect(() => {
		if (!overlaySink) return;
		overlaySink(external ? { row, column, width: innerWidth, lines } : undefined);
		return () => overlaySink(undefined);
	}, [overlaySink, external, row, column, innerWidth, lines]);
	const total = geometry.plan.totalLines;
	const last = Math.min(total, geometry.firstLine + geometry.windowLines);
	const position =
		total > geometry.windowLines
			? `${geometry.firstLine > 0 ? glyphs.up : ' '}${geometry.firstLine + 1}-${last}/${total}${last < total ? glyphs.down : ' '}`
			: '';
	const diffText = props.diff ? diffWords(props.diff) : '';
	return (
		<Frame
			width={width}
			height={height}
			title={mapTitle(snapshot, geometry.plan.zoom, width - 6, glyphs.dot, geometry.fitted, props.age)}
			footerLeft={diffText}
			footer={position}
			lines={external ? [] : lines}
			glyphs={glyphs}
			painter={painter}
		/>
	);
});
