/**
 * The one ASCII rule: text made pure ASCII for `--ascii` and for a locale that is not UTF-8. The screen's
 * glyphs have their own stand-ins (`ui/text/glyphs.ts`); this is for any other text, and for the output edge
 * that every printed line passes (`output/terminal-edge.ts`).
 */

const asciiStandIns: Record<string, string> = {
	'·': '-',
	'…': '...',
	'×': 'x',
	'—': '-',
	'–': '-',
	'‘': "'",
	'’': "'",
	'“': '"',
	'”': '"',
	'→': '->',
	'≈': '~',
	'≤': '<=',
	'≥': '>=',
	'−': '-',
	'÷': '/',
	'↔': '<->',
	'§': 'S',
	'─': '-',
	'│': '|',
	'█': '#',
	'░': '-',
	'●': '*',
	'↑': '^',
	'↓': 'v',
};

/** Text from elsewhere (a source's description, a demo caption) made ASCII for `--ascii`: known signs get a stand-in, anything else a `?`. */
export function toAscii(text: string): string {
	// biome-ignore lint/suspicious/noControlCharactersInRegex: the range is printable ASCII and the control characters below it.
	return text.replace(/[^\u0000-\u007f]/g, (character) => asciiStandIns[character] ?? '?');
}
