import { monotonicMs } from '../clock.js';
import type { Link, LinkOptions, OpenLink, PortError } from '../link/link.js';
import { asciiBytes } from '../protocol/bytes.js';
import {
	createRawReplClient,
	isCommandPhase,
	type RawExecProblem,
	type RawReplClient,
	type RawReplEvent,
	type RawReplOptions,
	type RawReplPhase,
	type RawReplStep,
} from '../protocol/raw-repl.js';
import { guardSession } from './exit-guard.js';

/**
 * A raw-REPL session on one open link, as mpremote's Transport is: enter, exec, interrupt, soft reset (only when
 * asked), leave. It drives the pure client in `source/protocol/raw-repl.ts`, owns the timers and the link, and
 * owns exit safety: the session is guarded (exit-guard.ts) from before its port opens until it is closed.
 * One exec's output is bounded by size (the client's `maxOutputBytes`) and by time without progress
 * (`inactivityTimeoutMs`), so no reply can hang heaptop or grow its memory without bound.
 */

/** What happens on the line that nobody asked for. */
export type SessionEvent =
	/** Console bytes outside our own frames: a program's output, echo, banners, noise. */
	| { type: 'output'; bytes: Uint8Array }
	/** The board reset its Python heap (`sys.exit()`, a watchdog, a reset button). */
	| { type: 'soft-reboot' }
	/** The raw prompt came back by itself: a busy board's program ended and our queued Ctrl-A took it in. */
	| { type: 'raw' }
	/** Paste mode was left with Ctrl-C on the way in: whatever had been pasted is gone. */
	| { type: 'paste-cancelled' }
	/**
	 * The link went away (unplugged, reset onto another port, the socket closed). `cutCommand`: in the middle of
	 * one of our commands, which the board may still be in (a raw-paste waiting for its data, for ever).
	 */
	| { type: 'gone'; error?: PortError; cutCommand: boolean };

/** Why entering the raw REPL did not succeed. */
export type EnterFailure =
	/** Bytes came back but no prompt: a program is running and was left alone. */
	| 'busy'
	/** Not one byte came back: the line or the board is silent. */
	| 'not-answering'
	/** Interrupted, yet no raw prompt within the limit. */
	| 'enter-failed'
	/** The link went away meanwhile. */
	| 'gone';

/** How entering went. */
export type EnterOutcome = { ok: true } | { ok: false; kind: EnterFailure };

/** Why one exec gave no intact answer. */
export type ExecFailure =
	| RawExecProblem
	/** Not at the raw prompt: enter first. */
	| 'not-ready'
	/** The link went away meanwhile. */
	| 'gone';

/** What one exec gave. */
export type ExecOutcome =
	| { ok: true; stdout: Uint8Array; exception: Uint8Array; mode: 'raw-paste' | 'classic' }
	/** `partial` is what came back of the frame, bounded; never to be trusted as whole. */
	| { ok: false; kind: ExecFailure; partial: Uint8Array };

/** An open session. Calls are meant to run one at a time (the board source queues them). */
export type Session = {
	readonly link: Link;
	readonly phase: RawReplPhase;
	readonly rawPasteSupported: boolean | undefined;
	/** False once the link went away or the session was closed. */
	readonly open: boolean;
	subscribe(listener: (event: SessionEvent) => void): () => void;
	/**
	 * Gets to the raw prompt. Without `interrupt` nothing running is stopped: a program makes it `busy`. A board
	 * at a prompt (friendly, continuation, paste) gets Ctrl-C first there, which interrupts nothing.
	 */
	enter(options?: { interrupt?: boolean; probeTimeoutMs?: number }): Promise<EnterOutcome>;
	/**
	 * Runs code at the raw prompt, by raw-paste whenever the board offers it. With `onStdout`, the output is
	 * handed over as it arrives and not kept (a user's program, which may print or run without end; the result's
	 * `stdout` is then empty); the traceback is kept as always.
	 */
	exec(
		code: string,
		options?: {
			/** The output's length so far and the bytes this chunk added, as they arrive (the result keeps them too). */
			onProgress?: (stdoutBytes: number, bytes: Uint8Array) => void;
			onStdout?: (bytes: Uint8Array) => void;
		},
	): Promise<ExecOutcome>;
	/** Soft-resets the board from the raw prompt (wipes its heap): only when the user asked. */
	softReset(): Promise<boolean>;
	/** Leaves the raw REPL (Ctrl-C first if our command runs, then Ctrl-B) and waits a little for `>>> `. */
	leave(): Promise<void>;
	/** For the `exit` event: leaves synchronously when the link can write so. */
	leaveSync(): void;
	/** Leaves, closes the link and stops guarding. Safe to call twice. */
	close(): Promise<void>;
};

/** How to open a session. */
export type SessionOptions = {
	/** Opens the link: `openLink` from source/link/open.ts. */
	open: OpenLink;
	link?: LinkOptions;
	repl?: RawReplOptions;
	/** Monotonic milliseconds for the client's timing. Default `monotonicMs`. */
	now?: () => number;
	/** How long leaving waits for the friendly prompt. Default 1000. */
	leaveTimeoutMs?: number;
};

type Waiter = (event: RawReplEvent | { type: 'gone' }) => boolean;

// Ctrl-C then Ctrl-B in the `exit` event cannot wait for the interrupted command's end: a short sleep
// between them keeps the Ctrl-B from being thrown away with the input the Ctrl-C flushes (protocol.md §3.1).
function sleepSync(ms: number): void {
	Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Opens `spec` and starts a session on it. The guard is in place before the port opens, so that no moment
 * exists in which a signal can leave the board in the raw REPL. Rejects with the link's PortError.
 */
export async function openSession(spec: string, options: SessionOptions): Promise<Session> {
	const now = options.now ?? monotonicMs;
	const leaveTimeoutMs = options.leaveTimeoutMs ?? 1000;
	let session: Session | undefined;
	const release = guardSession({
		leave: () => session?.leave() ?? Promise.resolve(),
		leaveSync: () => session?.leaveSync(),
	});
	let link: Link;
	try {
		link = await options.open(spec, options.link);
	} catch (error) {
		release();
		throw error;
	}
	session = createSession(link, { now, leaveTimeoutMs, release, ...(options.repl ? { repl: options.repl } : {}) });
	return session;
}

function createSession(
	link: Link,
	options: { now: () => number; leaveTimeoutMs: number; release: () => void; repl?: RawReplOptions },
): Session {
	const { now } = options;
	const client: RawReplClient = createRawReplClient(options.repl);
	const listeners = new Set<(event: SessionEvent) => void>();
	const waiters = new Set<Waiter>();
	let open = true;
	let closing: Promise<void> | undefined;
	let leftSync = false;
	// Set once leaving starts: from then on nothing but the way out may be written (no retry, no probe).
	let leaving = false;
	// Nothing written yet: a signal before the first byte has nothing to undo.
	let wrote = false;
	let timer: NodeJS.Timeout | undefined;
	let progress: ((stdoutBytes: number, bytes: Uint8Array) => void) | undefined;
	let streamTo: ((bytes: Uint8Array) => void) | undefined;

	function emit(event: SessionEvent): void {
		for (const listener of [...listeners]) listener(event);
	}

	function notify(event: RawReplEvent | { type: 'gone' }): void {
		for (const waiter of [...waiters]) if (waiter(event)) waiters.delete(waiter);
	}

	function apply(step: RawReplStep): void {
		if (!open) return;
		for (const bytes of step.writes) {
			wrote = true;
			link.write(bytes).catch(() => undefined);
		}
		for (const event of step.events) handle(event);
		schedule();
	}

	function schedule(): void {
		if (timer) clearTimeout(timer);
		timer = undefined;
		const deadline = client.deadlineMs();
		if (deadline === undefined || !open) return;
		timer = setTimeout(() => apply(client.tick(now())), Math.max(0, deadline - now()));
	}

	function handle(event: RawReplEvent): void {
		switch (event.type) {
			case 'output':
				emit({ type: 'output', bytes: event.bytes });
				break;
			case 'soft-reboot':
				emit({ type: 'soft-reboot' });
				break;
			case 'paste-cancelled':
				emit({ type: 'paste-cancelled' });
				break;
			case 'progress':
				progress?.(event.stdoutBytes, event.bytes);
				break;
			case 'stdout':
				streamTo?.(event.bytes);
				break;
			case 'raw-repl':
				// Reached with nobody waiting: a busy program ended and our Ctrl-A, queued behind it, took effect.
				if (!hasWaiterFor('raw-repl')) emit({ type: 'raw' });
				break;
			default:
				break;
		}
		notify(event);
	}

	// Waiters are tagged with the event types they are for, to tell a raw prompt someone waits for from one
	// that came by itself.
	const waitingFor = new Map<Waiter, readonly string[]>();
	function hasWaiterFor(type: string): boolean {
		for (const [waiter, types] of waitingFor) if (waiters.has(waiter) && types.includes(type)) return true;
		return false;
	}

	function waitFor<T extends RawReplEvent['type']>(
		types: readonly T[],
		timeoutMs?: number,
	): Promise<Extract<RawReplEvent, { type: T }> | 'gone' | 'timeout'> {
		return new Promise((resolve) => {
			if (!open) {
				resolve('gone');
				return;
			}
			let limit: NodeJS.Timeout | undefined;
			const waiter: Waiter = (event) => {
				if (event.type === 'gone') {
					clearTimeout(limit);
					waitingFor.delete(waiter);
					resolve('gone');
					return true;
				}
				if ((types as readonly string[]).includes(event.type)) {
					clearTimeout(limit);
					waitingFor.delete(waiter);
					resolve(event as Extract<RawReplEvent, { type: T }>);
					return true;
				}
				return false;
			};
			waiters.add(waiter);
			waitingFor.set(waiter, types);
			if (timeoutMs !== undefined) {
				limit = setTimeout(() => {
					waiters.delete(waiter);
					waitingFor.delete(waiter);
					resolve('timeout');
				}, timeoutMs);
			}
		});
	}

	const stopData = link.onData((chunk) => apply(client.push(chunk, now())));
	const stopClose = link.onClose((error) => {
		if (!open) return;
		open = false;
		if (timer) clearTimeout(timer);
		const cutCommand = isCommandPhase(client.phase);
		notify({ type: 'gone' });
		options.release();
		emit(error === undefined ? { type: 'gone', cutCommand } : { type: 'gone', error, cutCommand });
	});

	async function leave(): Promise<void> {
		leaving = true;
		if (!open || !wrote) return;
		const phase = client.phase;
		if (phase === 'friendly' || phase === 'unknown') return;
		// A busy board's program holds the console: the Ctrl-B waits in its input, and no prompt may come. But a
		// board that was idle answers the probe's Ctrl-A and then this Ctrl-B at once: wait a little for that too,
		// also so that the bytes are read before the port closes (a pty drops what is unread at hang-up).
		const unsure = phase === 'busy' || phase === 'probing';
		const back = waitFor(['friendly-prompt'], unsure ? 300 : options.leaveTimeoutMs);
		apply(client.leave(now()));
		await back;
	}

	return {
		link,
		get phase() {
			return client.phase;
		},
		get rawPasteSupported() {
			return client.rawPasteSupported;
		},
		get open() {
			return open;
		},
		subscribe(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		async enter(enterOptions = {}) {
			if (!open || leaving) return { ok: false, kind: 'gone' };
			if (client.phase === 'raw-idle') return { ok: true };
			const reached = waitFor(['raw-repl', 'busy', 'no-answer', 'enter-failed']);
			const connectOptions = {
				...(enterOptions.interrupt ? { interrupt: true } : {}),
				...(enterOptions.probeTimeoutMs === undefined ? {} : { probeTimeoutMs: enterOptions.probeTimeoutMs }),
			};
			apply(
				enterOptions.interrupt && client.phase !== 'unknown' && client.phase !== 'lost'
					? client.interrupt(now())
					: client.connect(now(), connectOptions),
			);
			const event = await reached;
			if (event === 'gone' || event === 'timeout') return { ok: false, kind: 'gone' };
			if (event.type === 'raw-repl') return { ok: true };
			if (event.type === 'busy') return { ok: false, kind: 'busy' };
			if (event.type === 'no-answer') return { ok: false, kind: 'not-answering' };
			return { ok: false, kind: 'enter-failed' };
		},
		async exec(code, execOptions = {}) {
			if (!open || leaving) return { ok: false, kind: 'gone', partial: new Uint8Array(0) };
			if (client.phase !== 'raw-idle') return { ok: false, kind: 'not-ready', partial: new Uint8Array(0) };
			const done = waitFor(['result']);
			progress = execOptions.onProgress;
			streamTo = execOptions.onStdout;
			try {
				apply(client.exec(code, now(), streamTo ? { stream: true } : {}));
				const event = await done;
				if (event === 'gone' || event === 'timeout') return { ok: false, kind: 'gone', partial: new Uint8Array(0) };
				const { result } = event;
				if (result.complete) {
					return { ok: true, stdout: result.stdout, exception: result.exception, mode: result.mode };
				}
				return { ok: false, kind: result.problem ?? 'framing', partial: result.stdout };
			} finally {
				progress = undefined;
				streamTo = undefined;
			}
		},
		async softReset() {
			if (!open || leaving || client.phase !== 'raw-idle') return false;
			const back = waitFor(['raw-repl', 'enter-failed']);
			apply(client.softReset(now()));
			const event = await back;
			return event !== 'gone' && event !== 'timeout' && event.type === 'raw-repl';
		},
		leave,
		leaveSync() {
			if (!open || !wrote || leftSync || !link.writeSync) return;
			const phase = client.phase;
			if (phase === 'friendly' || phase === 'unknown') return;
			leftSync = true;
			if (isCommandPhase(phase) || phase === 'lost') {
				// `\r` Ctrl-C stops our own command (at the idle raw prompt it only clears the line).
				if (!link.writeSync(asciiBytes('\r\x03'))) return;
				sleepSync(100);
			}
			// `\r` then Ctrl-B: back to the friendly REPL; a moment for the far end to read it before the port closes.
			if (link.writeSync(asciiBytes('\r\x02'))) sleepSync(50);
		},
		close() {
			closing ??= (async () => {
				try {
					await leave();
				} finally {
					open = false;
					if (timer) clearTimeout(timer);
					notify({ type: 'gone' });
					stopData();
					stopClose();
					await link.close().catch(() => undefined);
					options.release();
				}
			})();
			return closing;
		},
	};
}
