import { memo } from 'react';
import type { Painter } from '../../present/paint.js';
import { truncate } from '../../present/text-fit.js';
import { type KeyMode, keyHelpFor } from '../state/keys.js';
import { type Glyphs, toAscii } from '../text/glyphs.js';
import { Frame } from './frame.js';

/** Props of the help overlay. */
export type HelpOverlayProps = {
	width: number;
	height: number;
	/** The demo's scenarios, listed under `1-9` when there are any. */
	scenarios?: readonly { name: string; title: string }[];
	/** A replay lists its own keys (stepping, playing) instead of a live source's (collect, refresh). */
	mode: KeyMode;
	ascii: boolean;
	painter: Painter;
	glyphs: Glyphs;
};

/** Every key and what it does, in place of the map until Esc or `?`. */
export const HelpOverlay = memo(function HelpOverlay({
	width,
	height,
	scenarios,
	mode,
	ascii,
	painter,
	glyphs,
}: HelpOverlayProps) {
	const inner = width - 4;
	const demo = scenarios !== undefined && scenarios.length > 0;
	const entries = keyHelpFor({ mode, demo });
	const keyWidth = Math.min(
		Math.floor(inner / 2),
		Math.max(...entries.map((entry) => (ascii ? (entry.asciiKeys ?? entry.keys) : entry.keys).length)) + 2,
	);
	const lines = entries.map((entry) => {
		const keys = ascii ? toAscii(entry.asciiKeys ?? entry.keys) : entry.keys;
		const what = ascii ? toAscii(entry.what) : entry.what;
		return (
			painter.paint(keys.padEnd(keyWidth), { bold: true, fg: 'cyan' }) +
			truncate(what, inner - keyWidth, glyphs.ellipsis)
		);
	});
	if (demo && scenarios) {
		const room = height - 2 - lines.length - 1;
		if (room > 0) {
			lines.push('');
			const names = scenarios.slice(0, 9).map((scenario, index) => `${index + 1} ${scenario.title}`);
			let line = '';
			for (const name of names) {
				if (line !== '' && line.length + 3 + name.length > inner) {
					lines.push(line);
					line = '';
				}
				line = line === '' ? name : `${line}   ${name}`;
			}
			if (line !== '') lines.push(line);
		}
	}
	return (
		<Frame
			width={width}
			height={height}
			title="keys (Esc or ? closes)"
			lines={lines}
			glyphs={glyphs}
			painter={painter}
		/>
	);
});
