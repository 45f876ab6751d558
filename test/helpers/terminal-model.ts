/**
 * A terminal as the frame writer's output drives it, written apart from the writer's own SGR code so that a
 * mistake there shows up here: a grid of cells, each a character and the attributes it was written with, a
 * cursor with the wait-to-wrap state of the last column, and the sequences the writer may send (cursor moves
 * CUP, CHA, CUF, CUD, erase EL and ED, SGR, and the private modes, which it ignores). Any other sequence
 * throws: the writer must not send what this model does not know.
 */

type Style = {
	bold: boolean;
	dim: boolean;
	italic: boolean;
	underline: boolean;
	inverse: boolean;
	fg: string;
	bg: string;
};

const plainStyle = (): Style => ({
	bold: false,
	dim: false,
	italic: false,
	underline: false,
	inverse: false,
	fg: '',
	bg: '',
});

function sgr(style: Style, body: string): void {
	const codes = body === '' ? [0] : body.split(';').map((code) => (code === '' ? 0 : Number(code)));
	for (let index = 0; index < codes.length; index++) {
		const code = codes[index] ?? 0;
		if (code === 0) Object.assign(style, plainStyle());
		else if (code === 1) style.bold = true;
		else if (code === 2) style.dim = true;
		else if (code === 3) style.italic = true;
		else if (code === 4) style.underline = true;
		else if (code === 7) style.inverse = true;
		else if (code === 22) {
			style.bold = false;
			style.dim = false;
		} else if (code === 23) style.italic = false;
		else if (code === 24) style.underline = false;
		else if (code === 27) style.inverse = false;
		else if (code === 39) style.fg = '';
		else if (code === 49) style.bg = '';
		else if ((code >= 30 && code <= 37) || (code >= 90 && code <= 97)) style.fg = String(code);
		else if ((code >= 40 && code <= 47) || (code >= 100 && code <= 107)) style.bg = String(code);
		else if (code === 38 || code === 48) {
			const take = codes[index + 1] === 5 ? 2 : 4;
			const value = codes.slice(index + 1, index + 1 + take).join(':');
			if (code === 38) style.fg = value;
			else style.bg = value;
			index += take;
		} else throw new Error(`SGR ${code} is not known to the model`);
	}
}

const key = (style: Style) =>
	`${style.bold ? 'b' : ''}${style.dim ? 'd' : ''}${style.italic ? 'i' : ''}${style.underline ? 'u' : ''}${style.inverse ? 'r' : ''}${style.fg ? `f${style.fg}` : ''}${style.bg ? `g${style.bg}` : ''}`;

/** A model terminal of `columns` by `rows`. */
export function createTerminalModel(columns: number, rows: number) {
	const blank = () => ({ text: ' ', style: '' });
	const grid = Array.from({ length: rows }, () => Array.from({ length: columns }, blank));
	const style = plainStyle();
	let row = 0;
	let column = 0;
	let wrapPending = false;
	const put = (char: string) => {
		if (wrapPending) {
			row = Math.min(rows - 1, row + 1);
			column = 0;
			wrapPending = false;
		}
		const line = grid[row];
		if (line) line[column] = { text: char, style: key(style) };
		if (column === columns - 1) wrapPending = true;
		else column++;
	};
	// Strict: an erase with inverse or a background in force marks the cells, whatever a given terminal does.
	const eraseStyle = () => `${style.inverse ? 'r' : ''}${style.bg ? `g${style.bg}` : ''}`;
	return {
		/** Feeds bytes the writer sent. */
		write(text: string) {
			for (let index = 0; index < text.length; index++) {
				const char = text[index] ?? '';
				if (char !== '\u001b') {
					if (char === '\r') {
						column = 0;
						wrapPending = false;
					} else if (char === '\n') row = Math.min(rows - 1, row + 1);
					else put(char);
					continue;
				}
				if (text[index + 1] !== '[')
					throw new Error(`ESC ${JSON.stringify(text[index + 1])} is not known to the model`);
				let end = index + 2;
				while (end < text.length && !/[@-~]/.test(text[end] ?? '')) end++;
				const body = text.slice(index + 2, end);
				const final = text[end];
				index = end;
				const numbers = body.split(';').map((part) => (part === '' ? 1 : Number(part)));
				if (body.startsWith('?')) continue;
				if (final === 'm') {
					sgr(style, body);
					continue;
				}
				if (final === 'H') {
					row = Math.min(rows, numbers[0] ?? 1) - 1;
					column = Math.min(columns, numbers[1] ?? 1) - 1;
				} else if (final === 'G') column = Math.min(columns, numbers[0] ?? 1) - 1;
				else if (final === 'C') column = Math.min(columns - 1, column + (numbers[0] ?? 1));
				else if (final === 'B') row = Math.min(rows - 1, row + (numbers[0] ?? 1));
				else if (final === 'K') {
					if (body !== '') throw new Error(`EL ${body} is not known to the model`);
					const line = grid[row];
					for (let at = column; line && at < columns; at++) line[at] = { text: ' ', style: eraseStyle() };
				} else if (final === 'J') {
					if (body !== '2') throw new Error(`ED ${body} is not known to the model`);
					for (const line of grid) for (let at = 0; at < columns; at++) line[at] = { text: ' ', style: eraseStyle() };
				} else throw new Error(`CSI ${body}${final} is not known to the model`);
				// Every cursor move and erase ends the wait to wrap.
				wrapPending = false;
			}
		},
		/** Each row as text with its styles marked, `[style]` before a character whose style differs from the last. */
		screen(): string[] {
			return grid.map((line) => {
				let out = '';
				let last = '';
				for (const cell of line) {
					// A blank cell shows the same in any style without a background or inverse.
					const shownStyle = cell.text === ' ' && !/[rg]/.test(cell.style) ? '' : cell.style;
					if (shownStyle !== last) out += `[${shownStyle}]`;
					last = shownStyle;
					out += cell.text;
				}
				return out;
			});
		},
		/** True when the SGR state in force is none: every write of the frame writer ends so. */
		plainNow: () => key(style) === '',
	};
}
