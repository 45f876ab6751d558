import { asciiBytes, ByteTail } from './bytes.js';

/**
 * The WebREPL login (MicroPython's `extmod/modwebrepl.c`, protocol.md §11.1), both sides, pure. After the
 * WebSocket handshake the board sends `Password: `; the client sends the password and `\r`; the board reads up
 * to `\r` or `\n` and answers `\r\nWebREPL connected\r\n>>> `, or `\r\nAccess denied\r\n` and closes. From
 * then on REPL bytes travel in text frames.
 */

/** What the board sends first. */
export const passwordPrompt = 'Password: ';
/** What the board sends after the right password; the `>>> ` is the board's, sent whatever mode the REPL is in. */
export const connectedBanner = '\r\nWebREPL connected\r\n>>> ';
/** What the board sends after a wrong password, before it closes. */
export const deniedBanner = '\r\nAccess denied\r\n';
/** The longest password the board keeps (webrepl_setup asks for 4 to 9 characters). */
export const maxPasswordLength = 9;

const promptBytes = asciiBytes(passwordPrompt);
const connectedLine = asciiBytes('WebREPL connected\r\n');
const deniedLine = asciiBytes('Access denied');

/** Where the client's login stands after a chunk. */
export type WebreplLoginStep = {
	/** The board asked for the password in this chunk: send `passwordLine(password)` now. */
	sendPassword: boolean;
	/**
	 * `waiting`: nothing decided yet; `connected`: logged in, and `data` is the REPL output that followed in the
	 * same chunk (the board's `>>> `); `denied`: wrong password, the board closes.
	 */
	state: 'waiting' | 'connected' | 'denied';
	data: Uint8Array;
};

/** The client's side of the login, fed the board's text frames. */
export type WebreplLogin = { push(chunk: Uint8Array): WebreplLoginStep };

/** The bytes a client sends as its password. */
export function passwordLine(password: string): Uint8Array {
	return new TextEncoder().encode(`${password}\r`);
}

const nothing = new Uint8Array(0);

/** Creates the client's side of the login. */
export function createWebreplLogin(): WebreplLogin {
	// Only the tail is kept: a server that is not a WebREPL may send anything, and memory stays bounded.
	const tail = new ByteTail(64);
	let asked = false;
	return {
		push(chunk) {
			let sendPassword = false;
			for (let index = 0; index < chunk.length; index++) {
				tail.push(chunk[index] ?? 0);
				if (!asked) {
					if (tail.endsWith(promptBytes)) {
						asked = true;
						sendPassword = true;
					}
					continue;
				}
				if (tail.endsWith(connectedLine)) return { sendPassword, state: 'connected', data: chunk.slice(index + 1) };
				if (tail.endsWith(deniedLine)) return { sendPassword, state: 'denied', data: nothing };
			}
			return { sendPassword, state: 'waiting', data: nothing };
		},
	};
}

/** The board's side of the login: what the client typed, and the verdict once a line ends. */
export type WebreplGateStep =
	| { verdict: 'pending' }
	/** `rest` is what came after the password's line end: REPL input. */
	| { verdict: 'accepted'; rest: Uint8Array }
	| { verdict: 'denied' };

/** Creates the board's side of the login for `password`. */
export function createWebreplGate(password: string): { push(chunk: Uint8Array): WebreplGateStep } {
	const typed: number[] = [];
	const expected = new TextEncoder().encode(password);
	return {
		push(chunk) {
			for (let index = 0; index < chunk.length; index++) {
				const byte = chunk[index] ?? 0;
				if (byte === 0x0d || byte === 0x0a) {
					const same = typed.length === expected.length && typed.every((value, k) => value === expected[k]);
					return same ? { verdict: 'accepted', rest: chunk.slice(index + 1) } : { verdict: 'denied' };
				}
				// The board keeps the first characters only; a longer password can never match.
				if (typed.length <= maxPasswordLength) typed.push(byte);
			}
			return { verdict: 'pending' };
		},
	};
}
