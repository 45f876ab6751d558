/**
 * SGR (colour and attribute) state as a terminal keeps it, and the shortest sequence from one state to
 * another. The painter writes each run as "set, text, reset"; on the wire most of those bytes are a reset
 * followed by a set, where the terminal needed only the one attribute that differs (`37` to `7;31` is
 * `ESC[7;31m`, not `ESC[0m ESC[7;31m`). A style here is the canonical parameter list of `styleOf`, '' for
 * none, so two styles compare as strings.
 */

/** The SGR attributes in force: what a terminal keeps between characters. */
type Attributes = { flags: Set<number>; fg: string; bg: string };

const none = (): Attributes => ({ flags: new Set(), fg: '', bg: '' });

/** The attributes after one SGR sequence's parameters (`1;32`, `39`, `38;5;208`, `0` or none: reset). */
function applySgr(attributes: Attributes, parameters: string): void {
	const codes = parameters === '' ? [0] : parameters.split(';').map((code) => Number(code) || 0);
	for (let index = 0; index < codes.length; index++) {
		const code = codes[index] ?? 0;
		if (code === 0) {
			attributes.flags.clear();
			attributes.fg = '';
			attributes.bg = '';
		} else if (code === 38 || code === 48) {
			// Extended colours: 5;n or 2;r;g;b.
			const take = codes[index + 1] === 5 ? 2 : codes[index + 1] === 2 ? 4 : 0;
			const value = codes.slice(index, index + 1 + take).join(';');
			if (code === 38) attributes.fg = value;
			else attributes.bg = value;
			index += take;
		} else if (code === 39) attributes.fg = '';
		else if (code === 49) attributes.bg = '';
		else if ((code >= 30 && code <= 37) || (code >= 90 && code <= 97)) attributes.fg = String(code);
		else if ((code >= 40 && code <= 47) || (code >= 100 && code <= 107)) attributes.bg = String(code);
		else if (code === 22) {
			attributes.flags.delete(1);
			attributes.flags.delete(2);
		} else if (code === 25) {
			attributes.flags.delete(5);
			attributes.flags.delete(6);
		} else if (code >= 23 && code <= 29) attributes.flags.delete(code - 20);
		else if (code >= 1 && code <= 9) attributes.flags.add(code);
	}
}

/** The attributes as a canonical parameter list: flags in order, then foreground, then background. */
function styleOf(attributes: Attributes): string {
	const codes = [...attributes.flags].sort((a, b) => a - b).map(String);
	if (attributes.fg !== '') codes.push(attributes.fg);
	if (attributes.bg !== '') codes.push(attributes.bg);
	return codes.join(';');
}

const parsed = new Map<string, Attributes>();
/** The attributes a canonical style stands for (kept: a screen has a handful of styles). */
function attributesOf(style: string): Attributes {
	let attributes = parsed.get(style);
	if (!attributes) {
		attributes = none();
		if (style !== '') applySgr(attributes, style);
		parsed.set(style, attributes);
	}
	return attributes;
}

const after = new Map<string, string>();
/** The canonical style in force after `parameters` are applied to `style` (kept per pair, as above). */
export function applyToStyle(style: string, parameters: string): string {
	const key = `${style}|${parameters}`;
	let result = after.get(key);
	if (result === undefined) {
		const attributes = attributesOf(style);
		const next: Attributes = { flags: new Set(attributes.flags), fg: attributes.fg, bg: attributes.bg };
		applySgr(next, parameters);
		result = styleOf(next);
		after.set(key, result);
	}
	return result;
}

/** The parameter that turns off each flag SGR can set (22 turns off both bold and dim, 25 both blinks). */
const OFF: Record<number, number> = { 1: 22, 2: 22, 3: 23, 4: 24, 5: 25, 6: 25, 7: 27, 8: 28, 9: 29 };

/** The parameters that take `from` to `to` without a reset, or undefined when a flag cannot be turned off. */
function delta(from: Attributes, to: Attributes): string | undefined {
	const codes: number[] = [];
	const readd: number[] = [];
	for (const flag of from.flags) {
		if (to.flags.has(flag)) continue;
		const off = OFF[flag];
		if (off === undefined) return undefined;
		if (!codes.includes(off)) codes.push(off);
		// 22 and 25 take two flags: the one of the pair that stays is set again.
		for (const [pairOff, pair] of [
			[22, [1, 2]],
			[25, [5, 6]],
		] as const) {
			if (off !== pairOff) continue;
			for (const kept of pair)
				if (to.flags.has(kept) && from.flags.has(kept) && !readd.includes(kept)) readd.push(kept);
		}
	}
	for (const flag of [...to.flags].sort((a, b) => a - b))
		if (!from.flags.has(flag) || readd.includes(flag)) codes.push(flag);
	const parts = codes.map(String);
	if (to.fg !== from.fg) parts.push(to.fg === '' ? '39' : to.fg);
	if (to.bg !== from.bg) parts.push(to.bg === '' ? '49' : to.bg);
	return parts.join(';');
}

const transitions = new Map<string, string>();
/** The shortest SGR sequence that takes a terminal from style `from` to style `to`; '' when they are equal. */
export function sgrTransition(from: string, to: string): string {
	if (from === to) return '';
	// ESC[m is the reset, ESC[0m spelt short: a zero parameter may be left out (ECMA-48).
	if (to === '') return '\u001b[m';
	const key = `${from}|${to}`;
	let sequence = transitions.get(key);
	if (sequence === undefined) {
		const reset = from === '' ? `\u001b[${to}m` : `\u001b[0;${to}m`;
		const change = delta(attributesOf(from), attributesOf(to));
		sequence = change !== undefined && change.length + 3 < reset.length ? `\u001b[${change}m` : reset;
		transitions.set(key, sequence);
	}
	return sequence;
}

/** True when erasing in `style` would fill cells with something other than the default background. */
export function erasesWithColour(style: string): boolean {
	const attributes = attributesOf(style);
	return attributes.bg !== '' || attributes.flags.has(7);
}
