import { Text } from 'ink';
import { memo } from 'react';
import type { CellStyle, Painter } from '../../present/paint.js';
import { truncate } from '../../present/text-fit.js';
import type { Notice } from '../state/view-state.js';
import type { Glyphs } from '../text/glyphs.js';

export type { Notice };

/** Props of the status line. */
export type StatusLineProps = {
	notice?: Notice;
	/** The key hints shown when there is no message. */
	hints: readonly [string, string][];
	width: number;
	painter: Painter;
	glyphs: Glyphs;
};

const toneStyles: Record<Notice['tone'], CellStyle> = {
	info: { fg: 'cyan' },
	warn: { fg: 'yellow', bold: true },
	error: { fg: 'red', bold: true },
};

/** The bottom line: the latest notice, or as many key hints as fit. */
export const StatusLine = memo(function StatusLine({ notice, hints, width, painter, glyphs }: StatusLineProps) {
	const room = width - 2;
	if (notice)
		return <Text>{` ${painter.paint(truncate(notice.text, room, glyphs.ellipsis), toneStyles[notice.tone])}`}</Text>;
	// The last two hints (help and quit) always show; the others fill the room left, in order.
	const kept = hints.slice(-2);
	const widthOf = (list: readonly [string, string][]) =>
		list.reduce((sum, [key, what]) => sum + key.length + 1 + what.length + 2, -2);
	const shown: [string, string][] = [];
	for (const hint of hints.slice(0, -2)) {
		if (widthOf([...shown, hint, ...kept]) > room) break;
		shown.push(hint);
	}
	const out = [...shown, ...kept]
		.map(([key, what]) => `${painter.paint(key, { bold: true })} ${painter.paint(what, { fg: 'gray' })}`)
		.join('  ');
	return <Text>{` ${out}`}</Text>;
});
