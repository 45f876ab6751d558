/**
 * A link: the one way heaptop reaches a board's console, whatever carries it (a serial port, a TCP socket,
 * RFC 2217, WebREPL). Everything above it (the raw-REPL session, `--listen`) sees bytes in and bytes out, and
 * a `PortError` when the link cannot be had or is lost. Only `source/link/` opens anything.
 *
 * DTR, RTS and HUPCL (one decision, for every command): a serial link opens with DTR and RTS asserted, as
 * Linux's tty layer and pyserial (mpremote) leave them, because TinyUSB boards count the host as connected only
 * while DTR is up; and with HUPCL off, so that closing the port does not drop DTR/RTS, which on ESP boards'
 * auto-reset circuit would reset the board and wipe the heap the user came to see. `--listen` and the board
 * open the port the same way, so switching between them never pulses a line.
 */

/** What carries the bytes. */
export type LinkKind = 'serial' | 'tcp' | 'rfc2217' | 'webrepl';

/**
 * Why a link could not be had or was lost:
 * `missing` no such device or host name; `busy` another program holds it; `permission` the OS refused;
 * `not-serial` the path is not a serial device; `refused` nothing listens there; `unreachable` no route;
 * `timeout` no answer in time; `denied` the far end refused us (a wrong WebREPL password); `closed` the far end
 * went away; `invalid` the name itself cannot be used (a bad URL, a scheme not supported).
 */
export type PortErrorKind =
	| 'missing'
	| 'busy'
	| 'permission'
	| 'not-serial'
	| 'refused'
	| 'unreachable'
	| 'timeout'
	| 'denied'
	| 'closed'
	| 'invalid';

/** A link that could not be opened, or was lost. The message is one line for the user, with the next step. */
export class PortError extends Error {
	override name = 'PortError';
	constructor(
		readonly kind: PortErrorKind,
		/** The link as the user named it. */
		readonly link: string,
		message: string,
	) {
		super(message);
	}
}

/**
 * What a screen that waits for a lost link says: the link's own words (who closed it), or that `where` went
 * away, and that heaptop reconnects.
 */
export function lostLinkWords(error: PortError | undefined, where: string): string {
	return `${error?.message ?? `${where} went away`}; heaptop reconnects when it is back`;
}

/** An open link. */
export type Link = {
	readonly kind: LinkKind;
	/** As the user named it, for messages: "/dev/ttyACM0", "socket://pi:2217". */
	readonly name: string;
	/** Resolves when the bytes are handed to the OS; rejects with a PortError when the link is gone. */
	write(bytes: Uint8Array): Promise<void>;
	/**
	 * For an exit path that cannot wait (the process is ending now): hands the bytes to the OS synchronously.
	 * False when this link cannot (a socket) or the link is gone; then only `write` can be tried.
	 */
	writeSync?(bytes: Uint8Array): boolean;
	/** Every chunk received, in order. Returns the unsubscribe function. */
	onData(listener: (chunk: Uint8Array) => void): () => void;
	/** The far end went away (unplugged, the socket closed); not called for our own `close`. */
	onClose(listener: (error?: PortError) => void): () => void;
	/** Closes the link; resolves when it is closed. Safe to call twice. */
	close(): Promise<void>;
};

/** How to open a link. Each kind ignores what does not apply to it. */
export type LinkOptions = {
	/** Serial and RFC 2217: the line rate. Default 115200 (native USB ignores it, UART bridges need it). */
	baudRate?: number;
	/** WebREPL: the password. */
	password?: string;
	/** Never write: `--listen`. A passive link rejects every write, so nothing can slip through. */
	passive?: boolean;
	/** A serial link: the stable /dev/serial/by-id name, to find the board again under another name. */
	followId?: string;
	/** One line worth telling the user while opening ("waiting for the WebREPL password prompt"). */
	notice?: (line: string) => void;
};

/** Opens a link by the name the user gave; rejects with a PortError. */
export type OpenLink = (spec: string, options?: LinkOptions) => Promise<Link>;
