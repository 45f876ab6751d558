import { Box, Text } from 'ink';
import { memo } from 'react';
import type { Painter } from '../../present/paint.js';
import { truncate } from '../../present/text-fit.js';
import type { Glyphs } from '../text/glyphs.js';

/** Props of a frame: its outer size, a title in the top border, a note in the bottom border, and its lines. */
export type FrameProps = {
	width: number;
	height: number;
	title: string;
	/** Right-aligned in the bottom border: a scroll position, counts. */
	footer?: string;
	/** Left in the bottom border. */
	footerLeft?: string;
	/** Painted lines, at most `width - 4` columns each; missing lines are blank. */
	lines: readonly string[];
	glyphs: Glyphs;
	painter: Painter;
};

/**
 * A box with a title in its top border, as htop and btop draw panels. Drawn as one Text node of exact-width
 * lines rather than with Ink's `borderStyle`, which has no title and would cost a layout node per line.
 */
export const Frame = memo(function Frame(props: FrameProps) {
	const { width, height, glyphs, painter } = props;
	const inner = width - 2;
	const border = { fg: 'gray' } as const;
	const edge = (left: string, right: string, text: string, rightText: string): string => {
		const leftPart = text === '' ? '' : ` ${truncate(text, Math.max(0, inner - 4), glyphs.ellipsis)} `;
		const rightRoom = inner - 1 - leftPart.length - 2;
		const rightPart = rightText === '' || rightRoom < rightText.length + 2 ? '' : ` ${rightText} `;
		const fill = glyphs.horizontal.repeat(Math.max(0, inner - 1 - leftPart.length - rightPart.length - 1));
		return (
			painter.paint(left + glyphs.horizontal, border) +
			painter.paint(leftPart, { bold: true }) +
			painter.paint(fill, border) +
			rightPart +
			painter.paint(glyphs.horizontal + right, border)
		);
	};
	const rows = Math.max(0, height - 2);
	// The sides are Ink's own box border: Ink draws a border line by line from a cache, while a Text of
	// box-drawing characters would be measured with string-width's slow Unicode path on every frame. The
	// top and bottom edges stay Text, for the title and the footer. Lines are not padded: every space Ink
	// does not write is a character its output stage does not tokenize.
	const body = props.lines.slice(0, rows);
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text>{edge(glyphs.topLeft, glyphs.topRight, props.title, '')}</Text>
			{rows > 0 ? (
				<Box
					height={rows}
					width={width}
					paddingX={1}
					borderStyle={glyphs.vertical === '|' ? 'classic' : 'single'}
					borderTop={false}
					borderBottom={false}
					{...(painter.color ? { borderColor: 'gray' } : {})}
				>
					<Text>{body.join('\n')}</Text>
				</Box>
			) : null}
			<Text>{edge(glyphs.bottomLeft, glyphs.bottomRight, props.footerLeft ?? '', props.footer ?? '')}</Text>
		</Box>
	);
});
