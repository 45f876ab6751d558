import { memo } from 'react';
import type { HeapMetrics } from '../../heap/analyze.js';
import type { HeapSnapshot } from '../../heap/model.js';
import { formatBytes } from '../../present/format.js';
import type { Painter } from '../../present/paint.js';
import type { LightReading } from '../../sources/source.js';
import type { Glyphs } from '../text/glyphs.js';
import { gcPanelLines } from '../text/panels.js';
import { Frame } from './frame.js';

/** Props of the GC panel. */
export type GcPanelProps = {
	snapshot: HeapSnapshot | undefined;
	/** A light reading newer than the snapshot: its figures go in the title, the map's stay below. */
	light?: LightReading;
	metrics: HeapMetrics | undefined;
	width: number;
	height: number;
	painter: Painter;
	glyphs: Glyphs;
};

/** Lines the GC panel wants for a snapshot at a width, borders included. */
export function gcPanelHeight(
	snapshot: HeapSnapshot | undefined,
	metrics: HeapMetrics | undefined,
	width: number,
	painter: Painter,
): number {
	return 2 + (snapshot && metrics ? gcPanelLines(snapshot, metrics, width - 4, painter).length : 1);
}

/** The firmware's GC figures with bytes beside blocks, fragmentation, and the parser's warnings. */
export const GcPanel = memo(function GcPanel({
	snapshot,
	light,
	metrics,
	width,
	height,
	painter,
	glyphs,
}: GcPanelProps) {
	// The rows that fit, the least telling left out first (the largest free run and fragmentation stay).
	const lines = snapshot && metrics ? gcPanelLines(snapshot, metrics, width - 4, painter, height - 2) : [];
	// gc.mem_alloc() now, from a light reading; the lines below are the map's, as old as the map's title says.
	const title = light ? `GC now ${formatBytes(light.usedBytes)} used` : 'GC';
	return <Frame width={width} height={height} title={title} lines={lines} glyphs={glyphs} painter={painter} />;
});
