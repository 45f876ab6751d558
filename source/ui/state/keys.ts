/**
 * What the terminal sent, as key names, without React. Ink hands over each input event as it arrived (one
 * escape sequence, or a run of typed characters); this names every key in it. Ink's own `useInput` cannot
 * tell F1 or F10 from any other function key, so heaptop reads the events itself.
 */

/**
 * A key: a printable character as itself (`g`, `?`, `Z`, ` `), or a name: `up`, `down`, `left`, `right`,
 * `pageup`, `pagedown`, `home`, `end`, `escape`, `enter`, `backspace`, `tab`, `f1`…`f12`, `ctrl-a`…`ctrl-z`.
 */
export type KeyName = string;

// CSI and SS3 sequences of xterm, the Linux console, rxvt and tmux; the final byte or the number names the key.
const CSI_FINAL: Record<string, KeyName> = {
	A: 'up',
	B: 'down',
	C: 'right',
	D: 'left',
	H: 'home',
	F: 'end',
	P: 'f1',
	Q: 'f2',
	R: 'f3',
	S: 'f4',
};
const CSI_NUMBER: Record<string, KeyName> = {
	'1': 'home',
	'2': 'insert',
	'3': 'delete',
	'4': 'end',
	'5': 'pageup',
	'6': 'pagedown',
	'7': 'home',
	'8': 'end',
	'11': 'f1',
	'12': 'f2',
	'13': 'f3',
	'14': 'f4',
	'15': 'f5',
	'17': 'f6',
	'18': 'f7',
	'19': 'f8',
	'20': 'f9',
	'21': 'f10',
	'23': 'f11',
	'24': 'f12',
};
// The Linux console's F1-F5: ESC [ [ A … ESC [ [ E.
const LINUX_F: Record<string, KeyName> = { A: 'f1', B: 'f2', C: 'f3', D: 'f4', E: 'f5' };

/** The name of one escape sequence (starting with ESC), or undefined for one heaptop does not know. */
function nameOfSequence(sequence: string): KeyName | undefined {
	if (sequence === '\u001b') return 'escape';
	const body = sequence.slice(1);
	if (body.startsWith('[[')) return LINUX_F[body.slice(2)];
	if (body.startsWith('O')) return CSI_FINAL[body.slice(1)];
	if (!body.startsWith('[')) return undefined;
	const params = body.slice(1, -1);
	const final = body.slice(-1);
	if (final === '~') return CSI_NUMBER[params.split(';')[0] ?? ''];
	// `ESC [ 1 ; 5 A` (an arrow with a modifier) is still the arrow.
	return CSI_FINAL[final];
}

/** Length of the escape sequence that starts at `index` (ESC included). */
function sequenceLength(text: string, index: number): number {
	const next = text[index + 1];
	if (next === undefined) return 1;
	if (next === 'O') return Math.min(3, text.length - index);
	if (next !== '[') return 1;
	let end = index + 2;
	// `ESC [ [ A`: the Linux console's function keys.
	if (text[end] === '[') return Math.min(4, text.length - index);
	while (end < text.length) {
		const code = text.charCodeAt(end);
		if (code >= 0x40 && code <= 0x7e) return end - index + 1;
		end++;
	}
	return text.length - index;
}

/**
 * Every key in one input event, in order. Typed characters that arrived together (keys pressed faster than
 * a frame, or tmux's send-keys) are one key each; an unknown sequence yields nothing.
 */
export function parseKeys(text: string): KeyName[] {
	const keys: KeyName[] = [];
	let index = 0;
	while (index < text.length) {
		const code = text.charCodeAt(index);
		if (code === 0x1b) {
			const length = sequenceLength(text, index);
			// ESC followed by a plain character is Alt+character; heaptop binds none, and it must not type it.
			if (length === 1 && index + 1 < text.length && text[index + 1] !== '\u001b') {
				index += 2;
				continue;
			}
			const name = nameOfSequence(text.slice(index, index + length));
			if (name !== undefined) keys.push(name);
			index += length;
			continue;
		}
		if (code === 0x0d || code === 0x0a) keys.push('enter');
		else if (code === 0x7f || code === 0x08) keys.push('backspace');
		else if (code === 0x09) keys.push('tab');
		else if (code < 0x20) keys.push(`ctrl-${String.fromCharCode(code + 0x60)}`);
		else {
			// A surrogate pair is one key.
			const point = text.codePointAt(index) ?? code;
			const character = String.fromCodePoint(point);
			keys.push(character);
			index += character.length;
			continue;
		}
		index++;
	}
	return keys;
}

/** How a key is written in the help and the status line: `Ctrl-L`, `F1`, `PgDn`, `space`. */
export function keyLabel(key: KeyName): string {
	const names: Record<string, string> = {
		' ': 'space',
		up: 'Up',
		down: 'Down',
		left: 'Left',
		right: 'Right',
		pageup: 'PgUp',
		pagedown: 'PgDn',
		home: 'Home',
		end: 'End',
		escape: 'Esc',
		enter: 'Enter',
		backspace: 'Backspace',
		tab: 'Tab',
	};
	const known = names[key];
	if (known !== undefined) return known;
	if (/^f\d+$/.test(key)) return key.toUpperCase();
	if (key.startsWith('ctrl-')) return `Ctrl-${key.slice(5).toUpperCase()}`;
	return key;
}
