import { createServer, type Server, type Socket } from 'node:net';
import {
	comPortCommand,
	comPortMessage,
	createTelnetPeer,
	parseComPort,
	serverReplyOffset,
	type TelnetPeer,
	telnetOption,
} from '../protocol/telnet.js';
import { type BoardWire, WireError } from './virtual-board-wire.js';

/**
 * The virtual board on a TCP port: a raw byte stream (`socket://`, as ser2net's `tcp` accepter or `socat
 * TCP-LISTEN` serve a UART) or telnet with RFC 2217's COM-PORT option (`rfc2217://`, as ser2net's
 * `telnet(rfc2217)`). One client at a time, as a UART has one other end: a second is told so and closed.
 * Unplugging closes the listening socket and every client; plugging back listens on the same port.
 */

/** `host:port` for a URL, IPv6 literals in brackets. */
export function hostPort(host: string, port: number): string {
	return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Turns a listen failure into one line. */
export function listenFailure(error: NodeJS.ErrnoException, host: string, port: number): WireError {
	const where = hostPort(host, port);
	if (error.code === 'EADDRINUSE')
		return new WireError(`${where} is in use: another server listens there; pick another port`);
	if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') {
		return new WireError(`cannot listen on ${where}: no such local address; try 127.0.0.1`);
	}
	if (error.code === 'EACCES')
		return new WireError(`cannot listen on ${where}: ports below 1024 need root; pick a higher one`);
	return new WireError(`cannot listen on ${where}: ${error.message}`);
}

/** Listens on `host:port` (0: any free port); resolves with the port bound. */
export function listen(server: Server, host: string, port: number): Promise<number> {
	return new Promise((resolve, reject) => {
		const failed = (error: NodeJS.ErrnoException) => reject(listenFailure(error, host, port));
		server.once('error', failed);
		server.listen({ host, port, exclusive: true }, () => {
			server.off('error', failed);
			const address = server.address();
			resolve(typeof address === 'object' && address ? address.port : port);
		});
	});
}

/** How the RFC 2217 side answers; the defaults are a well-behaved server. */
export type TelnetWireOptions = {
	/** Acknowledge SET-CONTROL (DTR, RTS). ser2net in front of a pty does not; false plays that server. */
	acknowledgeControl?: boolean;
};

type Connection = { socket: Socket; telnet: TelnetPeer | undefined };

/** A TCP wire; `telnet` makes it RFC 2217. `input` receives what the client writes (unescaped). */
export function createTcpWire(
	endpoint: { kind: 'tcp' | 'rfc2217'; host: string; port: number },
	input: (bytes: Uint8Array) => void,
	options: TelnetWireOptions = {},
): BoardWire {
	const { host } = endpoint;
	const telnet = endpoint.kind === 'rfc2217';
	let port = endpoint.port;
	let server: Server | undefined;
	let client: Connection | undefined;
	let baudRate = 115200;

	function answerComPort(connection: Connection, command: number, value: number): void {
		// Each COM-PORT request is answered with its number + 100 and the value now in force (RFC 2217 §2).
		if (command === comPortCommand.setBaudRate) {
			if (value !== 0) baudRate = value;
			connection.socket.write(comPortMessage(command + serverReplyOffset, baudRate, 4));
		} else if (command === comPortCommand.setControl) {
			if (options.acknowledgeControl ?? true)
				connection.socket.write(comPortMessage(command + serverReplyOffset, value));
		} else if (command <= comPortCommand.purgeData) {
			connection.socket.write(comPortMessage(command + serverReplyOffset, value));
		}
	}

	function accept(socket: Socket): void {
		if (client) {
			// A UART has one other end; ser2net says the same to a second client.
			socket.end('heaptop emulate: the board is in use by another connection\r\n');
			return;
		}
		socket.setNoDelay(true);
		const connection: Connection = {
			socket,
			telnet: telnet
				? createTelnetPeer({
						local: [telnetOption.binary, telnetOption.suppressGoAhead],
						remote: [telnetOption.binary, telnetOption.suppressGoAhead, telnetOption.comPort],
					})
				: undefined,
		};
		client = connection;
		if (connection.telnet) socket.write(connection.telnet.greeting());
		socket.on('data', (chunk: Buffer) => {
			if (!connection.telnet) {
				input(chunk);
				return;
			}
			const { data, reply, events } = connection.telnet.push(chunk);
			if (reply.length > 0) socket.write(reply);
			for (const event of events) {
				const request = parseComPort(event);
				if (request) answerComPort(connection, request.command, request.value);
			}
			if (data.length > 0) input(data);
		});
		socket.on('error', () => undefined);
		socket.on('close', () => {
			if (client === connection) client = undefined;
		});
	}

	return {
		get address() {
			return `${telnet ? 'rfc2217' : 'socket'}://${hostPort(host, port)}`;
		},
		send(bytes) {
			const connection = client;
			if (!connection || connection.socket.destroyed) return;
			connection.socket.write(connection.telnet ? connection.telnet.frame(bytes) : bytes);
		},
		async plug() {
			if (server) return;
			const next = createServer(accept);
			// The first plug may pick a free port; later ones keep it, so clients come back to the same address.
			port = await listen(next, host, port);
			server = next;
		},
		async unplug() {
			const current = server;
			server = undefined;
			client?.socket.destroy();
			client = undefined;
			if (!current) return;
			await new Promise<void>((resolve) => current.close(() => resolve()));
		},
	};
}
