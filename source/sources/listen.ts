import { createMemInfoParser, type MemInfoParser } from '../heap/parse.js';
import { type Link, lostLinkWords, type OpenLink, PortError } from '../link/link.js';
import { latin1Text } from '../protocol/bytes.js';
import { sanitizeOutput } from '../protocol/sanitize.js';
import { resolvePortName } from './ports.js';
import type { HeapSource, SourceEvent, SourceStatus, StartOutcome } from './source.js';

/**
 * `--listen`: watches a board's console without ever writing to it, so a running program is never stopped.
 * The `mem_info(1)` dumps the program prints itself are found by the streaming parser and become readings;
 * every other line is program output, with control and escape sequences removed.
 */

/** How to listen. */
export type ListenSourceOptions = {
	/** A device path, an mpremote shortcut, or a network link (`socket://`, `rfc2217://`, `ws://`). */
	port: string;
	/** WebREPL's password, for `ws://`: the login is the link's own, not a write of ours, so a passive link has it. */
	password?: string;
	/** How often to look for an unplugged board coming back. Default 500. */
	reconnectIntervalMs?: number;
	clock?: () => number;
	/** Opens links; source/link/open.ts by default. The link is passive: it cannot write. */
	open?: OpenLink;
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

/**
 * The passive listener as a heap source. It opens its port through the link, as the board does (same lines,
 * same HUPCL), but passively: the link itself refuses every write, so not one byte can reach the board.
 */
export function createListenSource(options: ListenSourceOptions): HeapSource & { readonly status: SourceStatus } {
	const path = resolvePortName(options.port);
	const clock = options.clock ?? Date.now;
	const reconnectIntervalMs = options.reconnectIntervalMs ?? 500;
	const openLink: OpenLink =
		options.open ?? (async (spec, linkOptions) => (await import('../link/open.js')).openLink(spec, linkOptions));
	const listeners = new Set<(event: SourceEvent) => void>();
	let link: Link | undefined;
	let splitter = createConsoleSplitter();
	let status: SourceStatus = 'connecting';
	let closed = false;
	let timer: NodeJS.Timeout | undefined;
	let started: Promise<StartOutcome> | undefined;

	function emit(event: SourceEvent): void {
		for (const listener of [...listeners]) listener(event);
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

	function gone(error?: PortError): void {
		if (closed || !link) return;
		link = undefined;
		deliver(splitter.end());
		// In the link's words (who closed it), as the board source says it.
		setStatus('disconnected', lostLinkWords(error, path));
		scheduleReopen();
	}

	function scheduleReopen(): void {
		if (closed || timer) return;
		timer = setTimeout(() => {
			timer = undefined;
			attach().catch(() => scheduleReopen());
		}, reconnectIntervalMs);
	}

	async function attach(): Promise<void> {
		const opened = await openLink(path, {
			passive: true,
			...(options.password === undefined ? {} : { password: options.password }),
		});
		if (closed) {
			await opened.close();
			return;
		}
		link = opened;
		splitter = createConsoleSplitter();
		opened.onData((chunk) => deliver(splitter.push(chunk)));
		opened.onClose(gone);
		setStatus('live', `listening to ${path}: dumps the program prints appear here`);
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
		start() {
			started ??= (async (): Promise<StartOutcome> => {
				setStatus('connecting', `opening ${path}`);
				try {
					await attach();
					return { ok: true };
				} catch (error) {
					const failure =
						error instanceof PortError
							? error
							: new PortError(
									'closed',
									path,
									`could not open ${path}: ${error instanceof Error ? error.message : String(error)}`,
								);
					setStatus('error', failure.message);
					return { ok: false, problem: { kind: 'port', message: failure.message, port: failure.kind, where: path } };
				}
			})();
			return started;
		},
		async read() {
			return {
				ok: false,
				problem: {
					kind: 'passive',
					message: `${path} is only listened to: the program's own dumps appear by themselves`,
				},
			};
		},
		async close() {
			if (closed) return;
			closed = true;
			if (timer) clearTimeout(timer);
			const open = link;
			link = undefined;
			await open?.close();
		},
	};
}
