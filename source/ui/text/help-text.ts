import { toAscii } from '../../present/ascii.js';
import type { Painter } from '../../present/paint.js';
import { truncate, wrapWords } from '../../present/text-fit.js';
import type { HelpLine } from '../state/command-types.js';
import type { Glyphs } from './glyphs.js';

/** The widest the key column gets; a longer list of keys takes a line of its own. */
const KEY_COLUMN = 18;

/**
 * The help's lines from the command table, and the demo's scenarios under them. Nothing is cut: what does
 * not fit the width goes on to the next line, and the help scrolls when the lines do not fit the height.
 */
export function helpTextLines(options: {
	lines: readonly HelpLine[];
	scenarios?: readonly { name: string; title: string }[];
	/** Columns inside the help's frame. */
	width: number;
	ascii: boolean;
	painter: Painter;
	glyphs: Glyphs;
}): string[] {
	const { width, ascii, painter, glyphs } = options;
	const plain = (text: string) => (ascii ? toAscii(text) : text);
	const keyWidth = Math.min(
		KEY_COLUMN,
		Math.floor(width / 3),
		Math.max(0, ...options.lines.map((line) => plain(line.keys).length)) + 2,
	);
	const keyStyle = { bold: true, fg: 'cyan' } as const;
	const out: string[] = [];
	for (const line of options.lines) {
		const keys = plain(line.keys);
		const what = wrapWords(plain(line.what), Math.max(1, width - keyWidth));
		if (keys.length > keyWidth - 1) {
			out.push(painter.paint(truncate(keys, width, glyphs.ellipsis), keyStyle));
			for (const part of what) out.push(' '.repeat(keyWidth) + part);
			continue;
		}
		what.forEach((part, index) => {
			out.push((index === 0 ? painter.paint(keys.padEnd(keyWidth), keyStyle) : ' '.repeat(keyWidth)) + part);
		});
	}
	const scenarios = options.scenarios ?? [];
	if (scenarios.length > 0) {
		out.push(
			'',
			painter.paint(truncate('scenarios of the demo (press the digit):', width, glyphs.ellipsis), { bold: true }),
		);
		for (const [index, scenario] of scenarios.slice(0, 9).entries())
			out.push(truncate(plain(`${index + 1}  ${scenario.title}`), width, glyphs.ellipsis));
	}
	return out;
}
