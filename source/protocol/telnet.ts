/**
 * Telnet framing as RFC 2217 serial servers speak it (ser2net's `telnet(rfc2217)` accepter, esp-link, heaptop
 * emulate --rfc2217): IAC escaping of data, option negotiation (RFC 854/855) and the COM-PORT option's
 * subnegotiations (RFC 2217). Pure: a chunk-fed peer that returns the data, what to answer, and what the other
 * side said; the caller owns the socket and the clock.
 */

/** Interpret As Command: starts every telnet command; a data byte 0xFF is sent as two. */
export const IAC = 0xff;
const DONT = 0xfe;
const DO = 0xfd;
const WONT = 0xfc;
const WILL = 0xfb;
const SB = 0xfa;
const SE = 0xf0;

/** The options this code negotiates. */
export const telnetOption = { binary: 0, suppressGoAhead: 3, comPort: 44 } as const;

/** RFC 2217 COM-PORT commands, client to server; the server answers with the same value + 100. */
export const comPortCommand = {
	setBaudRate: 1,
	setDataSize: 2,
	setParity: 3,
	setStopSize: 4,
	setControl: 5,
	notifyLineState: 6,
	notifyModemState: 7,
	purgeData: 12,
} as const;

/** Values of SET-CONTROL (RFC 2217 §3): flow control and the DTR and RTS lines. */
export const controlValue = {
	noFlowControl: 1,
	dtrOn: 8,
	dtrOff: 9,
	rtsOn: 11,
	rtsOff: 12,
} as const;

/** The offset a server adds to a command's number in its answer. */
export const serverReplyOffset = 100;

/** What the other side said besides data. */
export type TelnetEvent =
	| { type: 'will' | 'wont' | 'do' | 'dont'; option: number }
	| { type: 'subnegotiation'; option: number; payload: Uint8Array };

/** The result of feeding a chunk. */
export type TelnetChunk = {
	/** Data bytes, unescaped. */
	data: Uint8Array;
	/** Bytes to send back (answers to negotiation), already framed. */
	reply: Uint8Array;
	events: TelnetEvent[];
};

/** A telnet endpoint: which options it will enable on its side and ask the other side to enable. */
export type TelnetPeerOptions = {
	/** Options this side performs (answers DO with WILL). */
	local: readonly number[];
	/** Options this side wants the other side to perform (answers WILL with DO). */
	remote: readonly number[];
};

/** A chunk-fed telnet endpoint. */
export type TelnetPeer = {
	/** The opening offers: WILL for each local option, DO for each remote one. */
	greeting(): Uint8Array;
	push(chunk: Uint8Array): TelnetChunk;
	/** Escapes data for the wire (0xFF doubled). */
	frame(data: Uint8Array): Uint8Array;
	/** True once the other side agreed to perform `option` (sent WILL). */
	remoteEnabled(option: number): boolean;
	/** True once the other side asked this side to perform `option` and this side agreed. */
	localEnabled(option: number): boolean;
};

/** Longest subnegotiation kept; a server that sends more is noise, and memory stays bounded. */
const maxSubnegotiationBytes = 64;

/** Escapes 0xFF in data (sent as IAC IAC). */
export function escapeIac(data: Uint8Array): Uint8Array {
	let count = 0;
	for (const byte of data) if (byte === IAC) count++;
	if (count === 0) return data;
	const framed = new Uint8Array(data.length + count);
	let at = 0;
	for (const byte of data) {
		framed[at++] = byte;
		if (byte === IAC) framed[at++] = IAC;
	}
	return framed;
}

/** `IAC SB option payload IAC SE`, the payload escaped. */
export function subnegotiation(option: number, payload: Uint8Array): Uint8Array {
	const body = escapeIac(payload);
	const framed = new Uint8Array(body.length + 5);
	framed.set([IAC, SB, option], 0);
	framed.set(body, 3);
	framed.set([IAC, SE], body.length + 3);
	return framed;
}

/** A COM-PORT subnegotiation: `command` then `value` (a baud rate is 4 bytes big-endian, others 1). */
export function comPortMessage(command: number, value: number, valueBytes: 1 | 4 = 1): Uint8Array {
	const payload = new Uint8Array(1 + valueBytes);
	payload[0] = command;
	if (valueBytes === 4) new DataView(payload.buffer).setUint32(1, value >>> 0);
	else payload[1] = value & 0xff;
	return subnegotiation(telnetOption.comPort, payload);
}

/** The command and value of a COM-PORT subnegotiation, or undefined when it is not one. */
export function parseComPort(event: TelnetEvent): { command: number; value: number } | undefined {
	if (event.type !== 'subnegotiation' || event.option !== telnetOption.comPort || event.payload.length < 1) {
		return undefined;
	}
	const [command = 0] = event.payload;
	const rest = event.payload.subarray(1);
	const value =
		rest.length >= 4 ? new DataView(rest.buffer, rest.byteOffset, 4).getUint32(0) : rest.length > 0 ? rest[0] : 0;
	return { command, value: value ?? 0 };
}

/** Creates a telnet endpoint. */
export function createTelnetPeer(options: TelnetPeerOptions): TelnetPeer {
	const local = new Set(options.local);
	const remote = new Set(options.remote);
	// What each side has agreed to, and what this side has asked, so an answer is sent once (RFC 1143's point:
	// answering an answer would loop for ever).
	const localOn = new Set<number>();
	const remoteOn = new Set<number>();
	const offeredLocal = new Set<number>();
	const askedRemote = new Set<number>();
	type State = 'data' | 'iac' | 'command' | 'sb-option' | 'sb' | 'sb-iac';
	let state: State = 'data';
	let command = 0;
	let sbOption = 0;
	let sbBytes: number[] = [];

	function answer(type: TelnetEvent['type'], option: number, reply: number[]): void {
		if (type === 'do') {
			if (local.has(option)) {
				if (!localOn.has(option)) {
					localOn.add(option);
					if (!offeredLocal.has(option)) reply.push(IAC, WILL, option);
					offeredLocal.add(option);
				}
			} else {
				reply.push(IAC, WONT, option);
			}
		} else if (type === 'dont') {
			// A refusal of our own offer is its answer already; only an option that was on is turned off aloud.
			if (localOn.has(option)) reply.push(IAC, WONT, option);
			localOn.delete(option);
			offeredLocal.delete(option);
		} else if (type === 'will') {
			if (remote.has(option)) {
				if (!remoteOn.has(option)) {
					remoteOn.add(option);
					if (!askedRemote.has(option)) reply.push(IAC, DO, option);
					askedRemote.add(option);
				}
			} else {
				reply.push(IAC, DONT, option);
			}
		} else if (type === 'wont') {
			if (remoteOn.has(option)) reply.push(IAC, DONT, option);
			remoteOn.delete(option);
			askedRemote.delete(option);
		}
	}

	return {
		greeting() {
			const bytes: number[] = [];
			for (const option of local) {
				offeredLocal.add(option);
				bytes.push(IAC, WILL, option);
			}
			for (const option of remote) {
				askedRemote.add(option);
				bytes.push(IAC, DO, option);
			}
			return new Uint8Array(bytes);
		},
		push(chunk) {
			const data: number[] = [];
			const reply: number[] = [];
			const events: TelnetEvent[] = [];
			for (const byte of chunk) {
				switch (state) {
					case 'data':
						if (byte === IAC) state = 'iac';
						else data.push(byte);
						break;
					case 'iac':
						if (byte === IAC) {
							data.push(IAC);
							state = 'data';
						} else if (byte === WILL || byte === WONT || byte === DO || byte === DONT) {
							command = byte;
							state = 'command';
						} else if (byte === SB) {
							state = 'sb-option';
						} else {
							// NOP, GA, AYT, BRK…: nothing a serial link needs; drop them.
							state = 'data';
						}
						break;
					case 'command': {
						const type = command === WILL ? 'will' : command === WONT ? 'wont' : command === DO ? 'do' : 'dont';
						events.push({ type, option: byte });
						answer(type, byte, reply);
						state = 'data';
						break;
					}
					case 'sb-option':
						sbOption = byte;
						sbBytes = [];
						state = 'sb';
						break;
					case 'sb':
						if (byte === IAC) state = 'sb-iac';
						else if (sbBytes.length < maxSubnegotiationBytes) sbBytes.push(byte);
						break;
					case 'sb-iac':
						if (byte === SE) {
							events.push({ type: 'subnegotiation', option: sbOption, payload: new Uint8Array(sbBytes) });
							state = 'data';
						} else {
							// IAC IAC inside a subnegotiation is a 0xFF of its payload.
							if (byte === IAC && sbBytes.length < maxSubnegotiationBytes) sbBytes.push(IAC);
							state = 'sb';
						}
						break;
				}
			}
			return { data: new Uint8Array(data), reply: new Uint8Array(reply), events };
		},
		frame: escapeIac,
		remoteEnabled: (option) => remoteOn.has(option),
		localEnabled: (option) => localOn.has(option),
	};
}
