import { Text } from 'ink';
import { memo, useEffect, useState } from 'react';
import type { CellStyle, Painter } from '../../present/paint.js';
import { truncate } from '../../present/text-fit.js';
import type { Glyphs } from '../text/glyphs.js';

/**
 * The status the header shows: the source's own, `paused` when the user paused auto-refresh, or `replay`
 * for a recording that is loaded.
 */
export type UiStatus =
	| 'connecting'
	| 'live'
	| 'auto-off'
	| 'listening'
	| 'not-answering'
	| 'busy'
	| 'paused'
	| 'replay'
	| 'disconnected'
	| 'error';

const statusStyles: Record<UiStatus, CellStyle> = {
	connecting: { fg: 'yellow' },
	live: { fg: 'green', bold: true },
	'auto-off': { fg: 'green' },
	listening: { fg: 'green', bold: true },
	busy: { fg: 'yellow', bold: true },
	'not-answering': { fg: 'yellow', bold: true },
	paused: { fg: 'cyan', bold: true },
	replay: { fg: 'magenta', bold: true },
	disconnected: { fg: 'red', bold: true },
	error: { fg: 'red', bold: true },
};

/** `0.4 s ago`, `12 s ago`, `3 min ago`. */
export function formatAge(ageMs: number): string {
	const seconds = Math.max(0, ageMs) / 1000;
	if (seconds < 10) return `${seconds.toFixed(1)} s ago`;
	if (seconds < 120) return `${Math.round(seconds)} s ago`;
	return `${Math.round(seconds / 60)} min ago`;
}

/** Props of the header line. */
export type HeaderProps = {
	description: string;
	status: UiStatus;
	/** The status in words, when they say more than its name: `live · every 1 s`. */
	statusText?: string;
	/** When the last reading was taken, ms since the epoch; absent before the first. */
	lastAtMs?: number;
	/**
	 * Shown instead of the age of the last reading: a replay's readings were taken long ago, so its header
	 * gives their date, and does not tick.
	 */
	when?: string;
	/** The key a newcomer needs first, beside `? help`: `g collect` by default. */
	firstKey?: readonly [string, string];
	width: number;
	painter: Painter;
	glyphs: Glyphs;
	/** The clock, for tests; `Date.now` by default. */
	now?: () => number;
};

/**
 * The top line: name, source, status, age of the last reading (a replay: its date), and the two keys a
 * newcomer needs. It ticks by itself once a second, so the age stays true without redrawing anything else.
 */
export const Header = memo(function Header(props: HeaderProps) {
	const { width, painter, glyphs } = props;
	const now = props.now ?? Date.now;
	const [, setTick] = useState(0);
	useEffect(() => {
		if (props.lastAtMs === undefined || props.when !== undefined) return;
		const timer = setInterval(() => setTick((tick) => tick + 1), 1000);
		return () => clearInterval(timer);
	}, [props.lastAtMs, props.when]);
	const name = ' heaptop ';
	const age = props.when ?? (props.lastAtMs === undefined ? 'no reading yet' : formatAge(now() - props.lastAtMs));
	const status = `${glyphs.live} ${props.statusText ?? props.status.replace('-', ' ')}`;
	const [firstKey, firstWhat] = props.firstKey ?? ['g', 'collect'];
	const keys = `${firstKey} ${firstWhat}  ? help `;
	const fixed = name.length + 1 + 3 + status.length + 3 + age.length;
	// The source's description comes first; the key hint shows only where it does not cut the description.
	const showKeys = width - fixed - keys.length - 1 >= props.description.length;
	const room = width - fixed - (showKeys ? keys.length + 1 : 0) - 1;
	const description = truncate(props.description, Math.max(0, room), glyphs.ellipsis);
	const sep = painter.paint(` ${glyphs.dot} `, { fg: 'gray' });
	const left = `${painter.paint(name, { bold: true, inverse: true })} ${description}${sep}${painter.paint(status, statusStyles[props.status])}${sep}${painter.paint(age, { fg: 'gray' })}`;
	const leftWidth = fixed + description.length;
	const gap = Math.max(1, width - leftWidth - (showKeys ? keys.length : 0));
	const right = showKeys
		? `${painter.paint(firstKey, { bold: true })} ${firstWhat}  ${painter.paint('?', { bold: true })} help `
		: '';
	return <Text>{`${left}${' '.repeat(showKeys ? gap : 0)}${right}`}</Text>;
});
