import { memo } from 'react';
import type { Painter } from '../../present/paint.js';
import type { Glyphs } from '../text/glyphs.js';
import { Frame } from './frame.js';

/** Props of the help overlay. */
export type HelpOverlayProps = {
	width: number;
	height: number;
	/** Every line of the help (see `helpTextLines`), and the first one shown. */
	lines: readonly string[];
	scroll: number;
	painter: Painter;
	glyphs: Glyphs;
};

/** Visible lines of the help inside its frame. */
export function helpRoom(height: number): number {
	return Math.max(1, height - 2);
}

/**
 * Every key and what it does, in place of the map until Esc, `?`, `h` or F1. A help longer than the space
 * scrolls with the map's keys, and its border says so and where it stands.
 */
export const HelpOverlay = memo(function HelpOverlay({
	width,
	height,
	lines,
	scroll,
	painter,
	glyphs,
}: HelpOverlayProps) {
	const room = helpRoom(height);
	const first = Math.max(0, Math.min(scroll, lines.length - room));
	const shown = lines.slice(first, first + room);
	const more = lines.length > room;
	const last = first + shown.length;
	const footer = more
		? `${first > 0 ? glyphs.up : ' '}${first + 1}-${last}/${lines.length}${last < lines.length ? glyphs.down : ' '} j/k scroll`
		: '';
	return (
		<Frame
			width={width}
			height={height}
			title={more ? 'keys (Esc closes; j/k and PgDn scroll)' : 'keys (Esc or ? closes)'}
			footer={footer}
			lines={shown}
			glyphs={glyphs}
			painter={painter}
		/>
	);
});
