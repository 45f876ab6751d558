import type { Socket } from 'node:net';
import { WebSocket } from 'ws';
import { createWebreplLogin, passwordLine } from '../protocol/webrepl.js';
import { type Link, type LinkOptions, PortError } from './link.js';
import { createLinkListeners, maxEarlyBytes, writeAllSync } from './listeners.js';
import {
	connectTimeout,
	connectTimeoutMs,
	hostPortText,
	networkError,
	parseNetworkAddress,
	socketFd,
} from './network.js';

/**
 * `ws://HOST:8266` (or `wss://`): an ESP board's WebREPL (protocol.md §11.1). The `ws` package keeps the
 * header spelling the board's handshake compares case-sensitively (Node 20's own WebSocket does not), and is
 * told not to check UTF-8, because the board sends REPL bytes in text frames as they come. The password goes
 * once, when the board asks, and is never logged. Input goes in frames of at most 255 bytes, as Thonny sends:
 * ESP32 boards drop input that comes faster, and the session's raw-paste flow control paces the rest.
 */

/** WebREPL's port on the boards. */
export const webreplPort = 8266;
/** The largest frame sent to the board. */
export const maxFrameBytes = 255;

const what = 'the WebREPL';

function bytesOf(data: Buffer | ArrayBuffer | Buffer[]): Uint8Array {
	if (Buffer.isBuffer(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
	if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
	return new Uint8Array(data);
}

/**
 * A masked text frame (RFC 6455 §5.2) for a synchronous write on an exit path, where `ws` cannot be waited on.
 * Only short payloads: an exit sequence is a few bytes.
 */
function textFrame(payload: Uint8Array): Uint8Array | undefined {
	if (payload.length > 125) return undefined;
	const mask = new Uint8Array(4);
	crypto.getRandomValues(mask);
	const frame = new Uint8Array(6 + payload.length);
	frame[0] = 0x81; // FIN, text
	frame[1] = 0x80 | payload.length; // masked, as a client must
	frame.set(mask, 2);
	for (let index = 0; index < payload.length; index++)
		frame[6 + index] = (payload[index] ?? 0) ^ (mask[index & 3] ?? 0);
	return frame;
}

/** Opens `ws://HOST[:PORT][/]`; rejects with a PortError. */
export async function openWebreplLink(spec: string, options: LinkOptions = {}): Promise<Link> {
	const address = parseNetworkAddress(spec, webreplPort);
	const password = options.password;
	if (password === undefined || password === '') {
		throw new PortError(
			'denied',
			spec,
			`${spec}: a WebREPL needs its password: pass --password or set WEBREPL_PASSWORD`,
		);
	}
	const scheme = /^wss:/i.test(spec) ? 'wss' : 'ws';
	const url = `${scheme}://${hostPortText(address)}${address.path}`;
	const socket = new WebSocket(url, {
		skipUTF8Validation: true,
		perMessageDeflate: false,
		handshakeTimeout: connectTimeoutMs,
		followRedirects: false,
	});
	// What arrives before anyone listens (the `>>>` after the login) is kept for the first listener.
	const listeners = createLinkListeners(maxEarlyBytes);
	let state: 'opening' | 'open' | 'lost' | 'closed' = 'opening';
	let closing: Promise<void> | undefined;
	let lastError: PortError | undefined;

	await new Promise<void>((resolve, reject) => {
		const login = createWebreplLogin();
		const fail = (error: PortError) => {
			clearTimeout(timer);
			socket.terminate();
			reject(error);
		};
		const timer = setTimeout(
			() =>
				fail(
					socket.readyState === WebSocket.OPEN
						? new PortError(
								'timeout',
								spec,
								`${spec}: no WebREPL login prompt in ${connectTimeoutMs / 1000} s; is it a WebREPL?`,
							)
						: connectTimeout(spec, connectTimeoutMs),
				),
			connectTimeoutMs,
		);
		socket.on('unexpected-response', (_request, response) => {
			fail(
				new PortError(
					'invalid',
					spec,
					`${spec} answered HTTP ${response.statusCode}, not a WebREPL; on the board: import webrepl; webrepl.start()`,
				),
			);
		});
		socket.on('error', (error) => {
			lastError = networkError(error, spec, what);
			if (state === 'opening') fail(lastError);
		});
		socket.on('close', () => {
			if (state === 'opening') {
				fail(
					new PortError(
						'closed',
						spec,
						`${spec}: ${what} closed the connection during the login; is another client connected?`,
					),
				);
			}
		});
		socket.on('message', (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
			// Binary frames are the file-transfer protocol; a heap monitor sends no requests, so none are answers.
			if (isBinary) return;
			const bytes = bytesOf(data);
			if (state === 'open') {
				listeners.emitData(bytes);
				return;
			}
			if (state !== 'opening') return;
			const step = login.push(bytes);
			if (step.sendPassword) socket.send(passwordLine(password), { binary: false });
			if (step.state === 'denied') {
				fail(
					new PortError(
						'denied',
						spec,
						`${spec}: Access denied: wrong WebREPL password; check --password or WEBREPL_PASSWORD`,
					),
				);
			} else if (step.state === 'connected') {
				clearTimeout(timer);
				state = 'open';
				listeners.emitData(step.data);
				resolve();
			}
		});
	});

	socket.on('close', () => {
		if (state !== 'open') return;
		state = 'lost';
		const why =
			lastError ?? new PortError('closed', spec, `${spec}: ${what} closed the connection (board reset or Wi-Fi lost?)`);
		listeners.emitClose(why);
	});

	const sendFrame = (frame: Uint8Array) =>
		new Promise<void>((resolve, reject) => {
			socket.send(frame, { binary: false }, (error) => (error ? reject(networkError(error, spec, what)) : resolve()));
		});

	return {
		kind: 'webrepl',
		name: spec,
		async write(bytes) {
			if (options.passive) throw new PortError('invalid', spec, `${spec} is open passively: nothing may be written`);
			for (let at = 0; at < bytes.length; at += maxFrameBytes) {
				if (state !== 'open' || socket.readyState !== WebSocket.OPEN)
					throw new PortError('closed', spec, `${spec} is closed`);
				await sendFrame(bytes.subarray(at, at + maxFrameBytes));
			}
		},
		writeSync(bytes) {
			const raw = (socket as unknown as { _socket?: Socket })._socket;
			const fd = raw ? socketFd(raw) : undefined;
			const frame = textFrame(bytes);
			if (options.passive || state !== 'open' || !frame || fd === undefined || socket.bufferedAmount > 0) return false;
			try {
				writeAllSync(fd, frame);
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
				if (!wasOpen || socket.readyState !== WebSocket.OPEN) {
					socket.terminate();
					return;
				}
				await new Promise<void>((resolve) => {
					socket.once('close', () => resolve());
					// The board answers a close frame by closing; one that does not is cut off after a second.
					socket.close(1000);
					setTimeout(() => socket.terminate(), 1000).unref();
				});
			})();
			return closing;
		},
	};
}
