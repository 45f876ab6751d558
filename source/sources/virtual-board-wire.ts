/**
 * What the virtual board's bytes travel over: a pty (socat), a TCP socket, RFC 2217 telnet or WebREPL. The
 * board (`virtual-board.ts`) moves bytes and injects faults; a wire only carries them, and can be unplugged
 * and plugged back like a cable.
 */

/** Where `heaptop emulate` serves the board. */
export type VirtualBoardEndpoint =
	| { kind: 'pty'; path: string }
	/** A raw byte stream, as ser2net's `tcp` accepter or `socat TCP-LISTEN` serve a UART. */
	| { kind: 'tcp'; host: string; port: number }
	/** Telnet with the COM-PORT option, as ser2net's `telnet(rfc2217)` accepter. */
	| { kind: 'rfc2217'; host: string; port: number }
	/** MicroPython's WebREPL: a WebSocket, a password, then the REPL in text frames. */
	| { kind: 'webrepl'; host: string; port: number; password: string };

/** A wire the board drives. */
export type BoardWire = {
	/** What a client opens: a path, or `socket://`, `rfc2217://`, `ws://` with the port really bound. */
	readonly address: string;
	/** Board output to whoever is connected; dropped when nobody is, as a UART's with nothing attached. */
	send(bytes: Uint8Array): void;
	/** Starts serving (again); resolves once a client can connect. */
	plug(): Promise<void>;
	/** Stops serving and drops every client, as a pulled cable. Safe when already unplugged. */
	unplug(): Promise<void>;
};

/** Why a wire could not start, in one line. */
export class WireError extends Error {
	override name = 'WireError';
}
