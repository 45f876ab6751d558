import { memo } from 'react';
import type { HeapMetrics } from '../../heap/analyze.js';
import type { HeapSnapshot } from '../../heap/model.js';
import type { Painter } from '../../present/paint.js';
import type { Glyphs } from '../text/glyphs.js';
import { gcPanelLines } from '../text/panels.js';
import { Frame } from './frame.js';

/** Props of the GC panel. */
export type GcPanelProps = {
	snapshot: HeapSnapshot | undefined;
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
export const GcPanel = memo(function GcPanel({ snapshot, metrics, width, height, painter, glyphs }: GcPanelProps) {
	// The rows that fit, the least telling left out first (the largest free run and fragmentation stay).
	const lines = snapshot && metrics ? gcPanelLines(snapshot, metrics, width - 4, painter, height - 2) : [];
	return <Frame width={width} height={height} title="GC" lines={lines} glyphs={glyphs} painter={painter} />;
});
