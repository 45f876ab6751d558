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

/** On wide terminals: objects and bytes per kind, and the free runs by size, where fragmentation shows. */
export const KindsPanel = memo(function KindsPanel({ metrics, width, height, painter, glyphs }: KindsPanelProps) {
	const lines = metrics ? kindsPanelLines(metrics, width - 4, painter, glyphs) : [];
	return <Frame width={width} height={height} title="objects" lines={lines} glyphs={glyphs} painter={painter} />;
});
