import { RuntimeFailure, UsageError } from './errors.js';

/**
 * Asks for a WebREPL password on the terminal, as ssh and sudo do: the prompt on stderr (stdout may be a pipe
 * for `--json`), nothing echoed, not even stars, nothing kept but the answer. Ctrl-C or Ctrl-D gives up and
 * leaves the terminal as it was; so does any way out, since raw mode is undone in a `finally`.
 */

/** What the prompt needs of the terminal: Node's `process.stdin` and `process.stderr` on a TTY. */
export type PasswordTerminal = {
	input: NodeJS.ReadStream;
	output: { write(text: string): unknown };
};

/** True when a prompt can be asked: both ends are a terminal. */
export function canPrompt(input: NodeJS.ReadStream, output: { isTTY?: boolean }): boolean {
	return input.isTTY === true && output.isTTY === true;
}

/** Reads one line without echo. Rejects with a RuntimeFailure (one line, exit 1) on Ctrl-C or Ctrl-D. */
export function askPassword(prompt: string, terminal: PasswordTerminal): Promise<string> {
	const { input, output } = terminal;
	const wasRaw = input.isRaw === true;
	output.write(prompt);
	return new Promise<string>((resolve, reject) => {
		// Bytes, decoded as UTF-8 at the end: a character may come in pieces.
		let typed: number[] = [];
		const done = (error: Error | undefined) => {
			input.off('data', onData);
			try {
				input.setRawMode(wasRaw);
			} finally {
				input.pause();
				// The Enter (or the Ctrl-C) was not echoed either: end the prompt's line.
				output.write('\n');
				if (error) reject(error);
				else resolve(Buffer.from(typed).toString('utf8'));
			}
		};
		const onData = (chunk: Buffer) => {
			for (const byte of chunk) {
				if (byte === 0x03 || (byte === 0x04 && typed.length === 0)) {
					done(new RuntimeFailure('no WebREPL password given (the prompt was left with Ctrl-C or Ctrl-D)'));
					return;
				}
				if (byte === 0x0d || byte === 0x0a) {
					done(undefined);
					return;
				}
				if (byte === 0x7f || byte === 0x08) {
					// Backspace takes a whole character: its UTF-8 continuation bytes (10xxxxxx) too.
					while (typed.length > 0 && ((typed.pop() ?? 0) & 0xc0) === 0x80);
				} else if (byte === 0x15)
					typed = []; // Ctrl-U: start again
				else if (byte >= 0x20) typed.push(byte);
				// WebREPL keeps 9 characters; a runaway paste must not grow without bound.
				if (typed.length > 256) {
					done(new UsageError('that password is far too long for a WebREPL (it keeps 9 characters)'));
					return;
				}
			}
		};
		try {
			input.setRawMode(true);
		} catch (error) {
			reject(error);
			return;
		}
		input.on('data', onData);
		input.resume();
	});
}
