/**
 * What a board says about itself, read from one line: `print(sys.implementation, sys.platform[, has mem_info])`.
 *
 * `sys.implementation` is printed as MicroPython prints it, so that the command that asks is short (the firmware
 * compiles every byte of it: 58 ms for the 216 bytes asked before, on the qemu Cortex-M3) and allocates nothing
 * (no joined strings left on the heap for the next dump to count):
 *
 *     (name='micropython', version=(1, 29, 0, 'preview'), _machine='mps2-an385 with Cortex-M3', _mpy=6918, _build='MPS2_AN385') qemu True
 *
 * Fields by name, in any order: `_machine` from v1.20, `_build` from v1.25, a fourth version element from v1.22;
 * a build without attribute tuples (MICROPY_PY_ATTRTUPLE off) prints a plain tuple, `('micropython', (1, 9, 4))`.
 * Strings are Python reprs: single quotes unless the text holds one and no double quote, `\\`, `\'`, `\n`, `\r`,
 * `\t` and `\xNN` escapes. The board's text is untrusted: it is decoded here and cleaned where it is shown.
 */

/** What the board said about itself. */
export type BoardInfo = {
	/** `sys.implementation.name`: `micropython` or `circuitpython`. */
	implementation: string;
	/** `sys.implementation.version`, as `1.22.1`. */
	version: string;
	/** `sys.platform`: `rp2`, `esp32`, `webassembly`… */
	platform: string;
	/** `sys.implementation._machine` (MicroPython ≥ v1.20): `Raspberry Pi Pico with RP2040`; may be empty. */
	machine: string;
	/** False on CircuitPython and small builds: no block map, only gc.mem_free()/mem_alloc(). */
	hasMemInfo: boolean;
};

/** One value of the printed tuple: a string, an integer, or a tuple of values. */
type Value = string | number | Value[];

/** A tiny reader of the Python literals `sys.implementation` prints. Never throws: undefined when it is not one. */
function createReader(text: string) {
	let at = 0;

	function skipSpaces(): void {
		while (text[at] === ' ') at++;
	}

	function readString(): string | undefined {
		const quote = text[at];
		if (quote !== "'" && quote !== '"') return undefined;
		at++;
		let value = '';
		while (at < text.length) {
			const char = text[at] ?? '';
			if (char === quote) {
				at++;
				return value;
			}
			if (char !== '\\') {
				value += char;
				at++;
				continue;
			}
			const escaped = text[at + 1];
			if (escaped === 'x') {
				const hex = text.slice(at + 2, at + 4);
				if (!/^[0-9a-fA-F]{2}$/.test(hex)) return undefined;
				value += String.fromCharCode(Number.parseInt(hex, 16));
				at += 4;
				continue;
			}
			const simple: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', n: '\n', r: '\r', t: '\t' };
			const decoded = escaped === undefined ? undefined : simple[escaped];
			if (decoded === undefined) return undefined;
			value += decoded;
			at += 2;
		}
		return undefined;
	}

	function readValue(depth: number): Value | undefined {
		skipSpaces();
		const char = text[at];
		if (char === "'" || char === '"') return readString();
		if (char === '(') return depth > 4 ? undefined : readTuple(depth + 1)?.values;
		const number = /^-?\d+/.exec(text.slice(at, at + 24));
		if (!number) return undefined;
		at += number[0].length;
		return Number(number[0]);
	}

	/** `(a, b, key=c)` from `(`; named fields in `named`, the others in order in `values`. */
	function readTuple(depth: number): { values: Value[]; named: Map<string, Value> } | undefined {
		if (text[at] !== '(') return undefined;
		at++;
		const values: Value[] = [];
		const named = new Map<string, Value>();
		skipSpaces();
		if (text[at] === ')') {
			at++;
			return { values, named };
		}
		for (;;) {
			skipSpaces();
			const key = /^([A-Za-z_]\w*)=/.exec(text.slice(at, at + 64));
			if (key?.[1] !== undefined) at += key[0].length;
			const value = readValue(depth);
			if (value === undefined) return undefined;
			if (key?.[1] !== undefined) named.set(key[1], value);
			else values.push(value);
			skipSpaces();
			if (text[at] === ',') {
				at++;
				skipSpaces();
				// A one-element tuple's trailing comma.
				if (text[at] === ')') {
					at++;
					return { values, named };
				}
				continue;
			}
			if (text[at] !== ')') return undefined;
			at++;
			return { values, named };
		}
	}

	return {
		readTuple: () => readTuple(0),
		rest: () => text.slice(at),
	};
}

/** `sys.implementation.version` as `1.29.0`: its first three numbers. */
function versionText(value: Value | undefined): string | undefined {
	if (!Array.isArray(value)) return undefined;
	const numbers = value.slice(0, 3);
	if (numbers.length === 0 || !numbers.every((part) => typeof part === 'number')) return undefined;
	return numbers.join('.');
}

/**
 * Reads the identify line (trailing `\r\n` allowed). `hasMemInfo` is there only when the line ends with
 * `True`/`False` (the command that asks it); the folded command that runs mem_info itself leaves it out.
 */
export function parseBoardInfo(line: string): (Omit<BoardInfo, 'hasMemInfo'> & { hasMemInfo?: boolean }) | undefined {
	const reader = createReader(line.replace(/[\r\n]+$/, ''));
	const tuple = reader.readTuple();
	if (!tuple) return undefined;
	const words = /^ (\S+)(?: (True|False))?$/.exec(reader.rest());
	if (!words?.[1]) return undefined;
	const name = tuple.named.get('name') ?? tuple.values.find((value) => typeof value === 'string');
	const version = versionText(tuple.named.get('version') ?? tuple.values.find((value) => Array.isArray(value)));
	if (typeof name !== 'string' || !name || version === undefined) return undefined;
	const machine = tuple.named.get('_machine');
	return {
		implementation: name,
		version,
		platform: words[1],
		machine: typeof machine === 'string' ? machine.trim() : '',
		...(words[2] === undefined ? {} : { hasMemInfo: words[2] === 'True' }),
	};
}
