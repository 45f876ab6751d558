import { connect, type Socket } from 'node:net';
import { PortError } from './link.js';

/**
 * What the network links share: reading `scheme://HOST:PORT` names, connecting with a deadline, and turning
 * each way a connection fails into the one line the user gets, with the next step.
 */

/** How long a connection may take before it is given up. */
export const connectTimeoutMs = 5000;

/** A network link's name, split. `options` are pyserial's URL options (`?ign_set_control`), lowercased. */
export type NetworkAddress = { host: string; port: number; path: string; options: Set<string> };

/** Reads `scheme://HOST:PORT[/path][?options]`, IPv6 hosts in brackets; a PortError ('invalid') otherwise. */
export function parseNetworkAddress(spec: string, defaultPort?: number): NetworkAddress {
	const match = /^[a-z0-9]+:\/\/(?:\[([^\]]+)\]|([^:/?#[\]]+))(?::(\d+))?(\/[^?#]*)?(?:\?([^#]*))?$/i.exec(spec);
	const port = match?.[3] === undefined ? defaultPort : Number(match[3]);
	if (!match || port === undefined || !Number.isInteger(port) || port < 1 || port > 65535) {
		const scheme = spec.split('://')[0] ?? 'socket';
		const example =
			defaultPort === undefined ? `${scheme}://192.168.1.20:2217` : `${scheme}://192.168.4.1:${defaultPort}`;
		throw new PortError('invalid', spec, `${spec} is not a network port name: write it as ${example}`);
	}
	const options = new Set(
		(match[5] ?? '')
			.split('&')
			.filter((option) => option !== '')
			.map((option) => option.toLowerCase().split('=')[0] ?? ''),
	);
	return { host: match[1] ?? match[2] ?? '', port, path: match[4] ?? '/', options };
}

/** `host:port` as it is written in a URL. */
export function hostPortText(address: NetworkAddress): string {
	return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}

/** The PortError for a failed connection or a lost one, in one line with the next step. */
export function networkError(error: unknown, spec: string, what: string): PortError {
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	const message = error instanceof Error ? error.message : String(error);
	if (code === 'ECONNREFUSED') {
		return new PortError(
			'refused',
			spec,
			`${spec}: connection refused: nothing listens there; is ${what} running, on that port?`,
		);
	}
	if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') {
		return new PortError('missing', spec, `${spec}: no such host; check the name, or use the board's IP address`);
	}
	if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EHOSTDOWN' || code === 'ENETDOWN') {
		return new PortError('unreachable', spec, `${spec}: host unreachable; is it on, and on this network?`);
	}
	if (code === 'ETIMEDOUT') {
		return new PortError('timeout', spec, `${spec}: no answer; is the host on, and the port open in its firewall?`);
	}
	if (code === 'ECONNRESET' || code === 'EPIPE') {
		return new PortError('closed', spec, `${spec}: the connection was dropped by ${what}`);
	}
	return new PortError('closed', spec, `${spec}: ${message.split('\n')[0]}`);
}

/** The PortError for a connection that takes longer than `connectTimeoutMs`. */
export function connectTimeout(spec: string, timeoutMs: number): PortError {
	const seconds = Math.round(timeoutMs / 100) / 10;
	return new PortError(
		'timeout',
		spec,
		`${spec}: no answer in ${seconds} s; is the host on, and the port open in its firewall?`,
	);
}

/** Opens a TCP connection; rejects with a PortError. */
export function connectSocket(
	address: NetworkAddress,
	spec: string,
	what: string,
	timeoutMs = connectTimeoutMs,
): Promise<Socket> {
	return new Promise((resolve, reject) => {
		const socket = connect({ host: address.host, port: address.port });
		const timer = setTimeout(() => {
			socket.destroy();
			reject(connectTimeout(spec, timeoutMs));
		}, timeoutMs);
		socket.once('connect', () => {
			clearTimeout(timer);
			socket.off('error', failed);
			// Small writes (a Ctrl-C, a raw-paste window) go out at once, as on a serial line.
			socket.setNoDelay(true);
			socket.setKeepAlive(true, 10_000);
			resolve(socket);
		});
		const failed = (error: Error) => {
			clearTimeout(timer);
			socket.destroy();
			reject(networkError(error, spec, what));
		};
		socket.once('error', failed);
	});
}

/** The socket's file descriptor, for a synchronous write on an exit path; undefined when Node hides it. */
export function socketFd(socket: Socket): number | undefined {
	const handle = (socket as unknown as { _handle?: { fd?: unknown } })._handle;
	return typeof handle?.fd === 'number' && handle.fd >= 0 ? handle.fd : undefined;
}
