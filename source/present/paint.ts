import type { ColorName } from './kinds.js';

/**
 * A tiny SGR painter. The map is painted as one string per row rather than one Ink `<Text>` per block, so
 * that a 64-block row is one layout node, not 64; and colour is decided here, once, from the user's choice
 * (`--no-color`, `NO_COLOR`), instead of by chalk guessing from the environment.
 */

/** How a run of characters looks. */
export type CellStyle = {
	fg?: ColorName;
	bg?: ColorName;
	bold?: boolean;
	dim?: boolean;
	inverse?: boolean;
};

const FG: Record<ColorName, number> = {
	gray: 90,
	white: 37,
	cyan: 36,
	green: 32,
	yellow: 33,
	magenta: 35,
	blue: 34,
	red: 31,
	greenBright: 92,
	cyanBright: 96,
	redBright: 91,
	magentaBright: 95,
	yellowBright: 93,
};

/** Paints text. */
export type Painter = {
	/** False when it never emits a colour or dim (it may still emit bold and inverse). */
	readonly color: boolean;
	paint(text: string, style: CellStyle | undefined): string;
	/** The opening sequence for a style, '' for none; a row painter uses it to join runs of equal style. */
	open(style: CellStyle | undefined): string;
};

const RESET = '\u001b[0m';

/**
 * Creates a painter. Without colour, foreground and background colours and dim are dropped; bold and inverse
 * stay, because they are not colour (NO_COLOR's own wording) and the diff highlight needs inverse to be seen.
 */
export function createPainter(color: boolean): Painter {
	const cache = new Map<string, string>();
	const open = (style: CellStyle | undefined): string => {
		if (!style) return '';
		const key = `${style.fg ?? ''}|${style.bg ?? ''}|${style.bold ? 1 : 0}${style.dim ? 1 : 0}${style.inverse ? 1 : 0}`;
		const cached = cache.get(key);
		if (cached !== undefined) return cached;
		const codes: number[] = [];
		if (style.bold) codes.push(1);
		if (style.dim && color) codes.push(2);
		if (style.inverse) codes.push(7);
		if (color && style.fg) codes.push(FG[style.fg]);
		if (color && style.bg) codes.push(FG[style.bg] + 10);
		const sequence = codes.length > 0 ? `\u001b[${codes.join(';')}m` : '';
		cache.set(key, sequence);
		return sequence;
	};
	return {
		color,
		open,
		paint(text, style) {
			const sequence = open(style);
			return sequence === '' || text === '' ? text : `${sequence}${text}${RESET}`;
		},
	};
}

/** The reset sequence, for row painters that join runs themselves. */
export const resetSequence = RESET;

/** A painter that emits no sequence at all: for text going to a file or a pipe, where even bold is noise. */
export const noPainter: Painter = { color: false, open: () => '', paint: (text) => text };
