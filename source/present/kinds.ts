/**
 * The cell letters as the user sees them: name and colour, shared by the TUI and the plain printer so that
 * both tell the same story. Colours are Ink/chalk names of the 16 basic ANSI colours, which every terminal
 * (and every SSH client) has.
 */

/** An ANSI colour name that Ink's `color` prop and the plain printer both understand. */
export type ColorName =
	| 'gray'
	| 'white'
	| 'cyan'
	| 'green'
	| 'yellow'
	| 'magenta'
	| 'blue'
	| 'red'
	| 'greenBright'
	| 'cyanBright'
	| 'redBright'
	| 'magentaBright'
	| 'yellowBright';

/** One legend entry. */
export type KindStyle = { letter: string; name: string; color: ColorName };

/** The letters in legend order: free, other, tail, then the typed objects of protocol.md §6.3. */
export const KIND_STYLES: readonly KindStyle[] = [
	{ letter: '.', name: 'free', color: 'gray' },
	{ letter: 'h', name: 'other', color: 'white' },
	{ letter: '=', name: 'tail', color: 'gray' },
	{ letter: 'T', name: 'tuple', color: 'cyan' },
	{ letter: 'L', name: 'list', color: 'green' },
	{ letter: 'D', name: 'dict', color: 'yellow' },
	{ letter: 'S', name: 'str', color: 'magenta' },
	{ letter: 'A', name: 'array', color: 'blue' },
	{ letter: 'F', name: 'float', color: 'red' },
	{ letter: 'B', name: 'function', color: 'greenBright' },
	{ letter: 'M', name: 'module', color: 'cyanBright' },
	{ letter: 'm', name: 'marked', color: 'redBright' },
	{ letter: 'Q', name: 'qstr pool', color: 'magentaBright' },
	{ letter: 'q', name: 'qstr data', color: 'magentaBright' },
];

const byLetter = new Map(KIND_STYLES.map((style) => [style.letter, style]));

/** The style of a letter; a letter no firmware documents is an "other head" shown in yellow so it stands out. */
export function kindStyle(letter: string): KindStyle {
	return byLetter.get(letter) ?? { letter, name: 'unknown', color: 'yellowBright' };
}
