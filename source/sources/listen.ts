import { access, constants } from 'node:fs/promises';
import { SerialPort } from 'serialport';
import { createMemInfoParser, type MemInfoParser } from '../heap/parse.js';
import { latin1Text } from '../protocol/bytes.js';
import { sanitizeOutput } from '../protocol/sanitize.js';
import { PortError } from './board.js';
import { existingPortPaths, resolvePortName } from './ports.js';
import type { HeapSource, SourceEvent, SourceStatus } from './source.js';

/**
 * `--listen`: watches a board's console without ever writing to it, so a running program is never stopped.
 * The `mem_info(1)` dumps the program prints itself are found by the streaming parser and become readings;
 * every other line is program output, with control and escape sequences removed.
 */

/** How to listen. */
export type ListenSourceOptions = {
	/** A device path or an mpremote shortcut. */
	port: string;
	/** How often to look for an unplugged board coming back. Default 500. */
	reconnectIntervalMs?: number;
	clock?: () => number;
};

/** A few lines of MicroPython that print a dump every `periodS` seconds, for the user's program. */
export function listenSnippet(periodS = 5): string {
	const periodMs = Math.round(periodS * 1000);
	return [
		'# heaptop --listen: a heap dump every few seconds, printed by the program itself.',
		'# With a timer (esp32, esp8266, rp2...); the dump runs outside the interrupt:',
		'import micropython',
		'from machine import Timer',
		'_heaptop_dump = lambda _: micropython.mem_info(1)',
		`_heaptop_timer = Timer(-1)`,
		`_heaptop_timer.init(period=${periodMs}, mode=Timer.PERIODIC, callback=lambda t: micropython.schedule(_heaptop_dump, None))`,
		'',
		'# Or, in an asyncio program:',
		'import asyncio, micropython',
		`async def heaptop_dumps(period_s=${periodS}):`,
		'    while True:',
		'        micropython.mem_info(1)',
		'        await asyncio.sleep(period_s)',
		'asyncio.create_task(heaptop_dumps())',
		'',
	].join('\n');
}

/** Splits console bytes into lines and tells dump lines from program output. Pure; no I/O. */
export type ConsoleSplitter = {
	/** Feeds bytes; returns the dumps completed and the output lines (sanitised) seen. */
	push(chunk: Uint8Array): { snapshots: ReturnType<MemInfoParser['push']>; lines: string[] };
	/** Ends the stream: a dump in flight is finished as it stands. */
	end(): { snapshots: ReturnType<MemInfoParser['push']>; lines: string[] };
};

/** Creates the splitter the listener uses, owning its pending line and parser. */
export function createConsoleSplitter(): ConsoleSplitter {
	const parser = createMemInfoParser();
	let pending: number[] = [];

	function line(bytes: number[]): { snapshots: ReturnType<MemInfoParser['push']>; lines: string[] } {
		const raw = new Uint8Array(bytes);
		const snapshots = parser.push(`${latin1Text(raw)}\n`);
		const lines: string[] = [];
		// A line is program output unless the parser took it into a dump.
		if (!parser.inDump()) {
			const text = sanitizeOutput(raw).replace(/\n+$/, '');
			if (text.trim()) lines.push(text);
		}
		return { snapshots, lines };
	}

	return {
		push(chunk) {
			const out = { snapshots: [] as ReturnType<MemInfoParser['push']>, lines: [] as string[] };
			for (const byte of chunk) {
				if (byte === 0x0a) {
					const result = line(pending);
					out.snapshots.push(...result.snapshots);
					out.lines.push(...result.lines);
					pending = [];
				} else if (byte !== 0x0d) {
					pending.push(byte);
				}
			}
			return out;
		},
		end() {
			const result = pending.length > 0 ? line(pending) : { snapshots: [], lines: [] };
			pending = [];
			result.snapshots.push(...parser.end());
			return result;
		},
	};
}

/** The passive listener as a heap source. It never writes a byte to the port. */
export function createListenSource(options: ListenSourceOptions): HeapSource & { readonly status: SourceStatus } {
	const path = resolvePortName(options.port);
	const clock = options.clock ?? Date.now;
	const reconnectIntervalMs = options.reconnectIntervalMs ?? 500;
	const listeners = new Set<(event: SourceEvent) => void>();
	let port: SerialPort | undefined;
	let splitter = createConsoleSplitter();
	let status: SourceStatus = 'connecting';
	let closing = false;
	let timer: NodeJS.Timeout | undefined;

	function emit(event: SourceEvent): void {
		for (const listener of listeners) listener(event);
	}

	function setStatus(next: SourceStatus, message?: string): void {
		status = next;
		emit(message === undefined ? { type: 'status', status: next } : { type: 'status', status: next, message });
	}

	function deliver(result: ReturnType<ConsoleSplitter['push']>): void {
		for (const text of result.lines) emit({ type: 'output', text, stream: 'stdout' });
		for (const snapshot of result.snapshots) {
			emit({ type: 'reading', reading: { snapshot, atMs: clock(), afterCollect: false } });
		}
	}

	function gone(): void {
		if (closing || !port) return;
		const old = port;
		port = undefined;
		old.removeAllListeners();
		old.on('error', () => undefined);
		if (old.isOpen) old.close(() => undefined);
		deliver(splitter.end());
		setStatus('disconnected', `${path} went away: waiting for the board to come back`);
		schedule();
	}

	function schedule(): void {
		if (closing) return;
		if (timer) clearTimeout(timer);
		timer = setTimeout(watch, reconnectIntervalMs);
	}

	function watch(): void {
		timer = undefined;
		if (closing) return;
		if (port) {
			// An idle port may not hear a hang-up; the device node vanishing is the surer sign.
			access(path).then(schedule, gone);
			return;
		}
		open().then(
			() => schedule(),
			() => schedule(),
		);
	}

	function open(): Promise<void> {
		return new Promise((resolve, reject) => {
			// hupcl off: closing must not drop DTR, which resets ESP boards through their auto-reset circuit.
			const opened = new SerialPort({ path, baudRate: 115200, autoOpen: false, lock: true, hupcl: false });
			opened.open((error) => {
				if (error) {
					reject(error);
					return;
				}
				port = opened;
				splitter = createConsoleSplitter();
				opened.on('data', (chunk: Buffer) => deliver(splitter.push(new Uint8Array(chunk))));
				opened.on('close', gone);
				opened.on('error', gone);
				setStatus('live', `listening to ${path}: dumps the program prints appear here`);
				resolve();
			});
		});
	}

	return {
		canRead: false,
		get status() {
			return status;
		},
		describe() {
			return `${path} · listening (passive)`;
		},
		subscribe(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		async start() {
			setStatus('connecting', `opening ${path}`);
			try {
				await access(path, constants.R_OK | constants.W_OK);
				await open();
				schedule();
			} catch (error) {
				const message = error instanceof Error ? error.message : String(error);
				let failure: PortError;
				if (/lock|busy|temporarily/i.test(message)) {
					failure = new PortError('busy', `${path} is busy: another program holds it; close it and try again`);
				} else if (/EACCES|permission/i.test(message)) {
					failure = new PortError(
						'permission',
						`no permission to open ${path}: add yourself to the group that owns it`,
					);
				} else if (/ENOENT|no such file/i.test(message)) {
					const paths = await existingPortPaths();
					failure = new PortError(
						'missing',
						`${path} does not exist (${paths.length > 0 ? `ports here: ${paths.join(', ')}` : 'no serial ports found'})`,
					);
				} else {
					failure = new PortError('io', `could not open ${path}: ${message}`);
				}
				setStatus('error', failure.message);
			}
		},
		async read() {
			return undefined;
		},
		async close() {
			if (closing) return;
			closing = true;
			if (timer) clearTimeout(timer);
			const open = port;
			port = undefined;
			if (open?.isOpen) await new Promise<void>((resolve) => open.close(() => resolve()));
		},
	};
}
