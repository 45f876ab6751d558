import type { Socket } from 'node:net';
import { type Link, type LinkKind, type LinkOptions, PortError } from './link.js';
import { createLinkListeners, maxEarlyBytes, writeAllSync } from './listeners.js';
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
	// What arrives before anyone listens (while the link opens, a WebREPL's >>>) is kept for the first listener.
	const listeners = createLinkListeners(maxEarlyBytes);
	let state: 'open' | 'lost' | 'closed' = 'open';
	let closing: Promise<void> | undefined;
	let lastError: PortError | undefined;

	function lost(): void {
		if (state !== 'open') return;
		state = 'lost';
		const why = lastError ?? new PortError('closed', spec, `${spec}: the connection was closed by ${what}`);
		listeners.emitClose(why);
		socket.destroy();
	}

	socket.on('data', (chunk: Buffer) => {
		const data = framing.decode(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
		listeners.emitData(data);
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
				writeAllSync(fd, framing.encode(bytes));
				return true;
			} catch {
				return false;
			}
		},
		onData: listeners.onData,
		onClose: listeners.onClose,
		close() {
			closing ??= (async () => {
				const wasOpen = state === 'open';
				state = 'closed';
				listeners.clear();
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
