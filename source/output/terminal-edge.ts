import { StringDecoder } from 'node:string_decoder';
import { sanitizeForTerminal } from '../protocol/sanitize.js';

/**
 * The last edge before the terminal: every write to a guarded stream (heaptop's stdout and stderr, set up
 * once in cli.tsx) goes through the sanitising rule, so an output path added later cannot forget it. Only
 * SGR colour passes. The full screen is the one writer that needs cursor moves and mode switches: it writes
 * through `unguarded`, after its frame writer has put each line through the same rule.
 */

type Writable = NodeJS.WritableStream;
type Write = Writable['write'];

const originals = new WeakMap<Writable, Write>();

/** Puts the rule on every later write to `stream`; a second call does nothing. */
export function guardOutput(stream: Writable): void {
	if (originals.has(stream)) return;
	const original = stream.write.bind(stream) as Write;
	originals.set(stream, original);
	// Bytes are decoded across writes, so a character split between two writes is judged whole.
	const decoder = new StringDecoder('utf8');
	const guarded = (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
		const text = typeof chunk === 'string' ? chunk : decoder.write(Buffer.from(chunk));
		return (original as (chunk: string, ...rest: unknown[]) => boolean)(sanitizeForTerminal(text), ...rest);
	};
	stream.write = guarded as Write;
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
