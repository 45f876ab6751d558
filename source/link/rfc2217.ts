import type { Socket } from 'node:net';
import {
	comPortCommand,
	comPortMessage,
	controlValue,
	createTelnetPeer,
	parseComPort,
	serverReplyOffset,
	type TelnetPeer,
	telnetOption,
} from '../protocol/telnet.js';
import { type Link, type LinkOptions, PortError } from './link.js';
import { connectSocket, parseNetworkAddress } from './network.js';
import { linkOverSocket } from './tcp.js';

/**
 * `rfc2217://HOST:PORT`: telnet with RFC 2217's COM-PORT option (ser2net's `telnet(rfc2217)` accepter), as
 * pyserial's handler that mpremote uses. The link asks for binary mode both ways, then sets the line (baud,
 * 8N1) and raises DTR and RTS, as a serial link opens (link.ts says why). A server in front of a pty (ser2net)
 * never acknowledges SET-CONTROL: where pyserial hangs unless told `?ign_set_control`, this link waits a
 * short while, says so once, and goes on.
 */

/** How long the server has to agree to COM-PORT and to acknowledge each setting. */
export const negotiationWaitMs = 1000;

const what = 'the RFC 2217 server';

/** Waits until `done()` is true after some input, or `ms` passed. */
function until(socket: Socket, done: () => boolean, ms: number): Promise<boolean> {
	if (done()) return Promise.resolve(true);
	return new Promise((resolve) => {
		const check = () => {
			if (!done()) return;
			finish(true);
		};
		const finish = (value: boolean) => {
			clearTimeout(timer);
			socket.off('data', check);
			socket.off('close', closed);
			resolve(value);
		};
		const closed = () => finish(false);
		// Checked after the link's own data handler has fed the telnet peer (listeners run in order).
		socket.on('data', check);
		socket.on('close', closed);
		const timer = setTimeout(() => finish(done()), ms);
	});
}

/** Opens `rfc2217://HOST:PORT[?ign_set_control]`; rejects with a PortError. */
export async function openRfc2217Link(spec: string, options: LinkOptions = {}): Promise<Link> {
	const address = parseNetworkAddress(spec);
	const socket = await connectSocket(address, spec, what);
	const peer: TelnetPeer = createTelnetPeer({
		local: [telnetOption.binary, telnetOption.suppressGoAhead, telnetOption.comPort],
		remote: [telnetOption.binary, telnetOption.suppressGoAhead],
	});
	const awaiting = new Set<number>();
	const link = linkOverSocket('rfc2217', spec, socket, options, what, {
		encode: (bytes) => peer.frame(bytes),
		decode(chunk) {
			const { data, reply, events } = peer.push(chunk);
			if (reply.length > 0 && !socket.destroyed) socket.write(reply);
			for (const event of events) {
				const answer = parseComPort(event);
				if (answer && answer.command >= serverReplyOffset) awaiting.delete(answer.command - serverReplyOffset);
			}
			return data;
		},
	});

	socket.write(peer.greeting());
	const comPort = await until(socket, () => peer.localEnabled(telnetOption.comPort), negotiationWaitMs);
	if (socket.destroyed) {
		await link.close();
		throw new PortError('closed', spec, `${spec}: ${what} closed the connection while it opened`);
	}
	if (!comPort) {
		options.notice?.(
			`${spec}: the server does not speak RFC 2217 (no COM-PORT option): the line's settings stay as they are`,
		);
		return link;
	}
	const baudRate = options.baudRate ?? 115200;
	const settings: [number, number, 1 | 4][] = [
		[comPortCommand.setBaudRate, baudRate, 4],
		[comPortCommand.setDataSize, 8, 1],
		[comPortCommand.setParity, 1, 1], // 1: none
		[comPortCommand.setStopSize, 1, 1], // 1: one stop bit
	];
	// DTR and RTS up, as a serial link opens (TinyUSB boards count the host as connected only while DTR is up).
	const control: [number, number, 1 | 4][] = [
		[comPortCommand.setControl, controlValue.dtrOn, 1],
		[comPortCommand.setControl, controlValue.rtsOn, 1],
	];
	const ignoreControl = address.options.has('ign_set_control');
	for (const [command, value, size] of [...settings, ...control]) {
		if (command !== comPortCommand.setControl || !ignoreControl) awaiting.add(command);
		socket.write(comPortMessage(command, value, size));
	}
	await until(socket, () => awaiting.size === 0, negotiationWaitMs);
	if (awaiting.has(comPortCommand.setControl)) {
		options.notice?.(
			`${spec}: the server did not acknowledge DTR/RTS (ser2net in front of a pty never does); going on without`,
		);
	} else if (awaiting.size > 0) {
		options.notice?.(`${spec}: the server did not acknowledge the line settings (${baudRate} 8N1); going on`);
	}
	return link;
}
