import { StringDecoder } from 'node:string_decoder';
import { toAscii } from '../present/ascii.js';
import { sanitizeForTerminal } from '../protocol/sanitize.js';

/**
 * The last edge before the terminal: every write to a guarded stream (heaptop's stdout and stderr, set up
 * once in cli.tsx) goes through the sanitising rule, so an output path added later cannot forget it. Only
 * SGR colour passes. The full screen is the one writer that needs cursor moves and mode switches: it writes
 * through `unguarded`, after its frame writer has put each line through the same rule. In ASCII mode
 * (`--ascii`, or a locale that is not UTF-8) the edge also makes every write pure ASCII, so that no output
 * path (a summary, a table, an error line, the help) can send a byte above 0x7f.
 */

type Writable = NodeJS.WritableStream;
type Write = Writable['write'];

const originals = new WeakMap<Writable, Write>();
const asciiStreams = new WeakSet<Writable>();

/** Puts the rule on every later write to `stream`; a second call does nothing. */
export function guardOutput(stream: Writable): void {
	if (originals.has(stream)) return;
	const original = stream.write.bind(stream) as Write;
	originals.set(stream, original);
	// Bytes are decoded across writes, so a character split between two writes is judged whole.
	const decoder = new StringDecoder('utf8');
	const guarded = (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
		const text = typeof chunk === 'string' ? chunk : decoder.write(Buffer.from(chunk));
		const clean = sanitizeForTerminal(text);
		return (original as (chunk: string, ...rest: unknown[]) => boolean)(
			asciiStreams.has(stream) ? toAscii(clean) : clean,
			...rest,
		);
	};
	stream.write = guarded as Write;
}

/** From now on, every guarded write to `stream` is made pure ASCII as well (`--ascii`, a non-UTF-8 locale). */
export function asciiOutput(stream: Writable): void {
	asciiStreams.add(stream);
}

/**
 * `stream` with its original write, for the full screen only: everything else reads and forwards to the
 * stream itself (size, resize events, isTTY). The stream itself when it is not guarded.
 */
export function unguarded<T extends Writable>(stream: T): T {
	const original = originals.get(stream);
	if (original === undefined) return stream;
	return new Proxy(stream, {
		get(target, property) {
			if (property === 'write') return original;
			const value = Reflect.get(target, property, target);
			return typeof value === 'function' ? value.bind(target) : value;
		},
	});
}
