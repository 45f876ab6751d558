import { createServer, type Server } from 'node:http';
import { type WebSocket, WebSocketServer } from 'ws';
import { asciiBytes } from '../protocol/bytes.js';
import { connectedBanner, createWebreplGate, deniedBanner, passwordPrompt } from '../protocol/webrepl.js';
import { hostPort, listen } from './virtual-board-tcp.js';
import type { BoardWire } from './virtual-board-wire.js';

/**
 * The virtual board as an ESP board's WebREPL (MicroPython's `extmod/modwebrepl.c`, protocol.md §11.1): a
 * WebSocket on `ws://HOST:PORT/`, the `Password: ` login, then the REPL in text frames, one client at a time.
 * Text frames carry the board's bytes unchecked, as the firmware sends them (not always UTF-8). Binary frames
 * are WebREPL's file transfer, which this board answers with an error status.
 */

type Client = { socket: WebSocket; loggedIn: boolean };

/** A WebREPL wire guarded by `password`; `input` receives the REPL bytes a logged-in client sends. */
export function createWebreplWire(
	endpoint: { host: string; port: number; password: string },
	input: (bytes: Uint8Array) => void,
): BoardWire {
	const { host, password } = endpoint;
	let port = endpoint.port;
	let http: Server | undefined;
	let sockets: WebSocketServer | undefined;
	let client: Client | undefined;

	function accept(socket: WebSocket): void {
		if (client) {
			// The firmware serves one WebREPL client and refuses the next the same way.
			socket.send(asciiBytes('\r\nConcurrent WebREPL connection rejected\r\n'), { binary: false }, () =>
				socket.terminate(),
			);
			return;
		}
		const current: Client = { socket, loggedIn: false };
		client = current;
		const gate = createWebreplGate(password);
		socket.send(asciiBytes(passwordPrompt), { binary: false });
		socket.on('message', (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
			const bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
			if (isBinary) {
				// A file-transfer request ("WA" header): answer "WB" with a non-zero status, i.e. refused.
				if (current.loggedIn && bytes[0] === 0x57 && bytes[1] === 0x41) socket.send(Buffer.from([0x57, 0x42, 1, 0]));
				return;
			}
			if (current.loggedIn) {
				input(bytes);
				return;
			}
			const step = gate.push(bytes);
			if (step.verdict === 'denied') {
				// The board closes the socket itself, without a WebSocket close frame.
				socket.send(asciiBytes(deniedBanner), { binary: false }, () => socket.terminate());
			} else if (step.verdict === 'accepted') {
				current.loggedIn = true;
				socket.send(asciiBytes(connectedBanner), { binary: false });
				if (step.rest.length > 0) input(step.rest);
			}
		});
		socket.on('error', () => undefined);
		socket.on('close', () => {
			if (client === current) client = undefined;
		});
	}

	return {
		get address() {
			return `ws://${hostPort(host, port)}/`;
		},
		send(bytes) {
			const current = client;
			if (!current?.loggedIn || current.socket.readyState !== current.socket.OPEN) return;
			current.socket.send(bytes, { binary: false });
		},
		async plug() {
			if (http) return;
			const server = createServer((_request, response) => {
				// What a board says to a browser that is not opening a WebSocket: where the client is.
				response.writeHead(200, { 'Content-Type': 'text/plain' });
				response.end('This is a WebREPL: open it with heaptop --port ws://HOST:PORT or webrepl.html\n');
			});
			const webSockets = new WebSocketServer({ server, skipUTF8Validation: true, perMessageDeflate: false });
			webSockets.on('connection', accept);
			port = await listen(server, host, port);
			http = server;
			sockets = webSockets;
		},
		async unplug() {
			const server = http;
			http = undefined;
			client?.socket.terminate();
			client = undefined;
			for (const socket of sockets?.clients ?? []) socket.terminate();
			sockets?.close();
			sockets = undefined;
			if (!server) return;
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
