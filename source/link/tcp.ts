import { writeSync } from 'node:fs';
import type { Socket } from 'node:net';
import { type Link, type LinkKind, type LinkOptions, PortError } from './link.js';
import { connectSocket, networkError, parseNetworkAddress, socketFd } from './network.js';

/**
 * `socket://HOST:PORT`: a raw TCP byte stream to a serial bridge (ser2net's `tcp` accepter, esp-link, `socat
 * TCP-LISTEN`), as pyserial's `socket://` handler that mpremote uses. Nothing but the REPL's bytes flows. The
 * far end closing is the board going away, as an unplugged cable; the session reconnects.
 */

/** How a socket link frames bytes: identity for raw TCP, telnet's escaping for RFC 2217. */
export type SocketFraming = {
	/** Data to wire bytes. */
	encode(bytes: Uint8Array): Uint8Array;
	/** Wire bytes to data; may answer the far end itself (telnet negotiation). */
	decode(chunk: Uint8Array): Uint8Array;
};

/** The most kept for a link's first listener; beyond it, early output is dropped, as a UART's FIFO would. */
const maxEarlyBytes = 64 * 1024;

const raw: SocketFraming = { encode: (bytes) => bytes, decode: (chunk) => chunk };

/** A link over a connected socket. `what` names the server in messages ("the serial server"). */
export function linkOverSocket(
	kind: LinkKind,
	spec: string,
	socket: Socket,
	options: LinkOptions,
	what: string,
	framing: SocketFraming = raw,
): Link {
	const dataListeners = new Set<(chunk: Uint8Array) => void>();
	const closeListeners = new Set<(error?: PortError) => void>();
	let state: 'open' | 'lost' | 'closed' = 'open';
	let closing: Promise<void> | undefined;
	let lastError: PortError | undefined;
	// What arrives before anyone listens (while the link opens, a WebREPL's >>>) is kept for the first listener.
	let early: Uint8Array[] = [];
	let earlyBytes = 0;

	function lost(): void {
		if (state !== 'open') return;
		state = 'lost';
		const why =
			lastError ??
			new PortError(
				'closed',
				spec,
				`${spec}: the connection was closed by ${what}; heaptop reconnects when it is back`,
			);
		for (const listener of [...closeListeners]) listener(why);
		socket.destroy();
	}

	socket.on('data', (chunk: Buffer) => {
		const data = framing.decode(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
		if (data.length === 0) return;
		if (dataListeners.size === 0) {
			if (earlyBytes + data.length <= maxEarlyBytes) {
				early.push(data.slice());
				earlyBytes += data.length;
			}
			return;
		}
		for (const listener of [...dataListeners]) listener(data);
	});
	socket.on('error', (error) => {
		lastError = networkError(error, spec, what);
	});
	socket.on('close', lost);

	return {
		kind,
		name: spec,
		write(bytes) {
			if (options.passive)
				return Promise.reject(new PortError('invalid', spec, `${spec} is open passively: nothing may be written`));
			if (state !== 'open' || socket.destroyed)
				return Promise.reject(new PortError('closed', spec, `${spec} is closed`));
			return new Promise((resolve, reject) => {
				socket.write(framing.encode(bytes), (error) => {
					if (error) reject(networkError(error, spec, what));
					else resolve();
				});
			});
		},
		writeSync(bytes) {
			const fd = socketFd(socket);
			if (options.passive || state !== 'open' || fd === undefined || socket.writableLength > 0) return false;
			try {
				const wire = framing.encode(bytes);
				let offset = 0;
				// The few bytes of an exit sequence fit in the socket's buffer at once.
				while (offset < wire.length) offset += writeSync(fd, wire, offset);
				return true;
			} catch {
				return false;
			}
		},
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
		close() {
			closing ??= (async () => {
				const wasOpen = state === 'open';
				state = 'closed';
				dataListeners.clear();
				closeListeners.clear();
				if (!wasOpen || socket.destroyed) return;
				await new Promise<void>((resolve) => {
					socket.once('close', () => resolve());
					// end() flushes what is queued first, so the last bytes (leaving the raw REPL) reach the board.
					socket.end();
					setTimeout(() => socket.destroy(), 1000).unref();
				});
			})();
			return closing;
		},
	};
}

/** Opens `socket://HOST:PORT`; rejects with a PortError. */
export async function openTcpLink(spec: string, options: LinkOptions = {}): Promise<Link> {
	const address = parseNetworkAddress(spec);
	const socket = await connectSocket(address, spec, 'the serial server');
	return linkOverSocket('tcp', spec, socket, options, 'the serial server');
}
