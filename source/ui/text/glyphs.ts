/**
 * Every non-ASCII character the TUI draws, in one place, with its `--ascii` stand-in: some terminals, fonts
 * and serial consoles have no box-drawing or block characters.
 */

/** The characters of frames, bars and sparklines. */
export type Glyphs = {
	topLeft: string;
	topRight: string;
	bottomLeft: string;
	bottomRight: string;
	horizontal: string;
	vertical: string;
	/** Sparkline levels, lowest first. */
	spark: readonly string[];
	/** Where a sparkline's history starts anew (the board was reset). */
	segmentBreak: string;
	barFull: string;
	barEmpty: string;
	dot: string;
	ellipsis: string;
	up: string;
	down: string;
	live: string;
};

const unicode: Glyphs = {
	topLeft: '┌',
	topRight: '┐',
	bottomLeft: '└',
	bottomRight: '┘',
	horizontal: '─',
	vertical: '│',
	spark: ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'],
	segmentBreak: '┊',
	barFull: '█',
	barEmpty: '░',
	dot: '·',
	ellipsis: '…',
	up: '↑',
	down: '↓',
	live: '●',
};

const ascii: Glyphs = {
	topLeft: '+',
	topRight: '+',
	bottomLeft: '+',
	bottomRight: '+',
	horizontal: '-',
	vertical: '|',
	spark: ['_', '.', ',', '-', '~', '+', '*', '#'],
	segmentBreak: '|',
	barFull: '#',
	barEmpty: '-',
	dot: '|',
	ellipsis: '...',
	up: '^',
	down: 'v',
	live: '*',
};

/** The glyph set for `--ascii` or not. */
export function glyphsFor(asciiOnly: boolean): Glyphs {
	return asciiOnly ? ascii : unicode;
}
