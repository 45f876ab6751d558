import { memo } from 'react';
import type { HeapMetrics } from '../../heap/analyze.js';
import type { Painter } from '../../present/paint.js';
import type { Glyphs } from '../text/glyphs.js';
import { kindsPanelLines } from '../text/panels.js';
import { Frame } from './frame.js';

/** Props of the kinds panel. */
export type KindsPanelProps = {
	metrics: HeapMetrics | undefined;
	width: number;
	height: number;
	painter: Painter;
	glyphs: Glyphs;
};

/** On tall terminals, under the free runs: objects and bytes per kind. */
export const KindsPanel = memo(function KindsPanel({ metrics, width, height, painter, glyphs }: KindsPanelProps) {
	// The free runs have their own panel above this one.
	const lines = metrics ? kindsPanelLines(metrics, width - 4, painter, glyphs, false) : [];
	return <Frame width={width} height={height} title="objects" lines={lines} glyphs={glyphs} painter={painter} />;
});
