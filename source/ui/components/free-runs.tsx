import { memo } from 'react';
import type { HeapMetrics } from '../../heap/analyze.js';
import type { Painter } from '../../present/paint.js';
import type { Glyphs } from '../text/glyphs.js';
import { freeRunLines } from '../text/panels.js';
import { Frame } from './frame.js';

/** Props of the free-runs panel. */
export type FreeRunsProps = {
	metrics: HeapMetrics | undefined;
	width: number;
	height: number;
	painter: Painter;
	glyphs: Glyphs;
};

/**
 * Free runs by size, largest first, under the stack when the terminal has no third column: where
 * fragmentation shows as many short runs and no long one.
 */
export const FreeRuns = memo(function FreeRuns({ metrics, width, height, painter, glyphs }: FreeRunsProps) {
	const lines = metrics ? freeRunLines(metrics, width - 4, painter, glyphs, true) : [];
	return (
		<Frame width={width} height={height} title="free runs (blocks)" lines={lines} glyphs={glyphs} painter={painter} />
	);
});
