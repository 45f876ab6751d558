import { Text } from 'ink';
import { memo } from 'react';
import type { Painter } from '../../present/paint.js';
import type { HistoryPoint, LowWaterMarks } from '../state/history.js';
import type { Glyphs } from '../text/glyphs.js';
import { historyLines } from '../text/panels.js';

/** Props of the history sparklines. */
export type HistoryProps = {
	points: readonly HistoryPoint[];
	marks: LowWaterMarks;
	width: number;
	lines: number;
	painter: Painter;
	glyphs: Glyphs;
	/** A replay's cursor: the index in `points` of the reading shown; the sparklines then cover all points. */
	cursor?: number;
};

/** Used and largest free after each collect, as sparklines, with the session's (or the recording's) marks. */
export const History = memo(function History({ points, marks, width, lines, painter, glyphs, cursor }: HistoryProps) {
	return (
		<Text>
			{historyLines(points, marks, width - 1, lines, painter, glyphs, cursor)
				.map((line) => ` ${line}`)
				.join('\n')}
		</Text>
	);
});
