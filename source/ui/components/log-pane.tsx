import { memo } from 'react';
import type { Painter } from '../../present/paint.js';
import { truncate } from '../../present/text-fit.js';
import type { Glyphs } from '../text/glyphs.js';
import { Frame } from './frame.js';

/** Props of the log pane. */
export type LogPaneProps = {
	lines: readonly string[];
	width: number;
	height: number;
	painter: Painter;
	glyphs: Glyphs;
};

/** The board's latest output lines (already sanitised by the source), newest at the bottom. */
export const LogPane = memo(function LogPane({ lines, width, height, painter, glyphs }: LogPaneProps) {
	const room = Math.max(0, height - 2);
	const shown = lines.slice(-room).map((line) => truncate(line, width - 4, glyphs.ellipsis));
	const body = shown.length === 0 ? [painter.paint('no output from the board yet', { fg: 'gray' })] : shown;
	return (
		<Frame
			width={width}
			height={height}
			title="board output (o hides)"
			lines={body}
			glyphs={glyphs}
			painter={painter}
		/>
	);
});
