import { writeSync } from 'node:fs';
import type { PortError } from './link.js';

/**
 * The listeners of one link, written once for every kind: what the link hears goes to its data listeners,
 * and its end to its close listeners. Bytes that arrive before anyone listens (a WebREPL's `>>>` while the
 * link opens) are kept for the first data listener, up to `maxEarlyBytes`; beyond that they are dropped, as a
 * UART's FIFO would drop them. A link that keeps nothing early (a serial port) passes 0.
 */
export type LinkListeners = {
	onData(listener: (chunk: Uint8Array) => void): () => void;
	onClose(listener: (error?: PortError) => void): () => void;
	/** Hands a chunk to every data listener, or keeps a copy for the first one while there is none. */
	emitData(chunk: Uint8Array): void;
	emitClose(why: PortError): void;
	/** Forgets every listener and what was kept: the link is closed. */
	clear(): void;
};

/** What a network link keeps for its first data listener: a UART's FIFO, generously. */
export const maxEarlyBytes = 64 * 1024;

/** Listener sets for a link that keeps at most `maxEarlyBytes` for its first data listener. */
export function createLinkListeners(maxEarlyBytes: number): LinkListeners {
	const dataListeners = new Set<(chunk: Uint8Array) => void>();
	const closeListeners = new Set<(error?: PortError) => void>();
	let early: Uint8Array[] = [];
	let earlyBytes = 0;
	return {
		onData(listener) {
			dataListeners.add(listener);
			const held = early;
			early = [];
			earlyBytes = 0;
			for (const chunk of held) listener(chunk);
			return () => dataListeners.delete(listener);
		},
		onClose(listener) {
			closeListeners.add(listener);
			return () => closeListeners.delete(listener);
		},
		emitData(chunk) {
			if (chunk.length === 0) return;
			if (dataListeners.size === 0) {
				if (earlyBytes + chunk.length <= maxEarlyBytes) {
					early.push(chunk.slice());
					earlyBytes += chunk.length;
				}
				return;
			}
			// A copy of the set: a listener may unsubscribe while it is told.
			for (const listener of [...dataListeners]) listener(chunk);
		},
		emitClose(why) {
			for (const listener of [...closeListeners]) listener(why);
		},
		clear() {
			dataListeners.clear();
			closeListeners.clear();
			early = [];
			earlyBytes = 0;
		},
	};
}

/**
 * Writes all of `bytes` to `fd` at once, for the exit paths that cannot wait for an event loop. A tty or a
 * socket in non-blocking mode may take part of it per call; the few bytes of an exit sequence fit at once.
 */
export function writeAllSync(fd: number, bytes: Uint8Array): void {
	let offset = 0;
	while (offset < bytes.length) offset += writeSync(fd, bytes, offset);
}
