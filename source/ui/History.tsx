import { Text } from 'ink';
import { memo } from 'react';
import type { Glyphs } from './glyphs.js';
import type { HistoryPoint, LowWaterMarks } from './history.js';
import type { Painter } from './paint.js';
import { historyLines } from './panels.js';

/** Props of the history sparklines. */
export type HistoryProps = {
	points: readonly HistoryPoint[];
	marks: LowWaterMarks;
	width: number;
	lines: number;
	painter: Painter;
	glyphs: Glyphs;
};

/** Used and largest free after each collect, as sparklines, with the session's marks. */
export const History = memo(function History({ points, marks, width, lines, painter, glyphs }: HistoryProps) {
	return (
		<Text>
			{historyLines(points, marks, width - 1, lines, painter, glyphs)
				.map((line) => ` ${line}`)
				.join('\n')}
		</Text>
	);
});
