import type { HeapSnapshot, ParseResult } from '../heap/model.js';
import { createMemInfoParser, parseResultOf } from '../heap/parse.js';
import type { OpenLink } from '../link/link.js';
import { lostLinkWords, PortError } from '../link/link.js';
import { linkKindOf } from '../link/open.js';
import { type BoardInfo, parseBoardInfo } from '../protocol/board-info.js';
import { latin1Text } from '../protocol/bytes.js';
import type { RawReplOptions } from '../protocol/raw-repl.js';
import { createSanitizer, type Sanitizer, sanitizeOutput } from '../protocol/sanitize.js';
import { type ExecOutcome, openSession, type Session } from '../session/session.js';
import { resolvePortName } from './ports.js';
import { type DumpAnswer, takeSnapshot } from './snapshot-policy.js';
import type {
	HeapSource,
	LightOutcome,
	ProblemKind,
	Reading,
	ReadOutcome,
	SourceEvent,
	SourceProblem,
	SourceStatus,
	StartOutcome,
} from './source.js';

/**
 * A MicroPython board as a heap source: a thin adapter on the raw-REPL session (source/session). It opens the
 * link through source/link, enters the raw REPL without interrupting anything (a running program makes it
 * `busy` until `interrupt()`), stays there between snapshots, and leaves with Ctrl-B on close. It never
 * soft-resets the board unless asked (`softReset`, for `imports --fresh`). A silent line is `not-answering`
 * and is retried by itself; an unplugged board is `disconnected` and is picked up again when it comes back.
 */

export { type BoardInfo, PortError, parseBoardInfo };

/** How to reach the board. */
export type BoardSourceOptions = {
	/** A device path, an mpremote shortcut (`a0`, `u0`, `c0`), or a network link (`socket://…`). */
	port: string;
	/** Stop a running program without asking (`--interrupt`). */
	interrupt?: boolean;
	/** The raw REPL client's timing. */
	repl?: RawReplOptions;
	/** How often to look for an unplugged board coming back. Default 500. */
	reconnectIntervalMs?: number;
	/** The stable /dev/serial/by-id name, to find the board again if it comes back under another name. */
	byIdPath?: string;
	/** Wall clock for readings. Default Date.now. */
	clock?: () => number;
	/** Opens links; source/link/open.ts by default. */
	open?: OpenLink;
	/** WebREPL's password, for `ws://` links. */
	password?: string;
	/**
	 * Where a link's notices go (an RFC 2217 server that never acknowledged DTR/RTS), each said once for the
	 * life of the source, reconnects included: stderr for `--once` and `--json`. Without it they are `problem`
	 * events, held for the first subscriber when they come before one (the screen's status line).
	 */
	onNotice?: (line: string) => void;
	/**
	 * When the board is asked what it is: once it is live (the default), or in the same exchange as the first
	 * snapshot (`--once`, `--json`, which read the heap at once: one round trip and one compile fewer). Anything
	 * else asked of the board before that snapshot asks first, as at the start.
	 */
	identify?: 'at-start' | 'with-first-snapshot';
};

/** The board as a heap source, plus what only a board has. */
export type BoardSource = HeapSource & {
	readonly status: SourceStatus;
	readonly info: BoardInfo | undefined;
	/** Set when the link could not be opened. */
	readonly failure: PortError | undefined;
	/**
	 * Opens the link (the first half of `start`, and idempotent too): fast, so the CLI can turn a port that
	 * will not open into one line before any screen is drawn, and leave the slow part to the screen.
	 */
	open(): Promise<StartOutcome>;
	/** Stops the running program (Ctrl-C) and takes the board over. Only acts when `busy`. */
	interrupt(): Promise<void>;
	/** The GC's two totals in one short line, no map and no collect (auto-refresh between slow dumps). */
	readLight(): Promise<LightOutcome>;
	/**
	 * The largest `bytearray` that can be allocated now, found by bisecting sizes after a collect (key `b`, and
	 * CircuitPython's stand-in for the map). A probe: it allocates on the heap it measures. Undefined when the
	 * board could not run it.
	 */
	probeLargestBlock(): Promise<number | undefined>;
	/**
	 * Runs the user's code at the raw prompt (`imports`, `profile`, `run --port`); not-ready when the board is
	 * not live. With `onStdout`, the output is handed over as it comes and not kept (a whole program's).
	 */
	execute(code: string, options?: { onStdout?: (bytes: Uint8Array) => void }): Promise<ExecOutcome>;
	/**
	 * Soft-resets the board (its Python heap and variables are wiped) and waits for the raw prompt again.
	 * Only for `imports --fresh`, where the user asked for it. False when the board did not come back.
	 */
	softReset(): Promise<boolean>;
};

/*
 * heaptop's commands leave nothing on the heap. They bind no names in the user's __main__, and use no name or
 * string the firmware does not have already: a new one is interned into a qstr pool that stays on the heap for
 * good (a `sep='|'` cost 304 B on the virtual board), and would be counted as the user's in every snapshot.
 * Hence `__import__` again and again instead of a lambda's parameters, and the default separator.
 */
export const snapshotCode = "__import__('micropython').mem_info(1)";
export const collectSnapshotCode = "__import__('gc').collect();__import__('micropython').mem_info(1)";
/**
 * What the board is: `sys.implementation` and `sys.platform` as MicroPython prints them, and whether mem_info
 * exists (source/protocol/board-info.ts reads the line). Printed, not built into a string, so that it leaves no
 * garbage for the next dump to count, and short, because the firmware compiles every byte of it.
 */
const identifyCode =
	"print(__import__('sys').implementation,__import__('sys').platform,hasattr(__import__('micropython'),'mem_info'))";
/**
 * The same question put in front of the first dump (`identify: 'with-first-snapshot'`): one exchange instead of
 * two. Whether mem_info exists is learnt by running it; the dump's own lines follow the identify line.
 */
const identifyFirstCode = "print(__import__('sys').implementation,__import__('sys').platform);";
/** One trial of the largest-block probe: a fresh command each, so no stale pointer keeps the last try alive. */
function probeTrialCode(bytes: number): string {
	return `__import__('gc').collect();bytearray(${bytes})`;
}
const freeCode = "__import__('gc').collect();print(__import__('gc').mem_free())";
/** A light reading: the GC's two totals in one short line, without a collect (as auto-refresh's dumps). */
const lightCode = "print(__import__('gc').mem_alloc(),__import__('gc').mem_free())";
// CircuitPython and small builds have no mem_info: the GC's own totals, labelled as such.
const gcTotalsCode = "__import__('gc').collect();print(__import__('gc').mem_alloc(),__import__('gc').mem_free())";

/**
 * A dump streaming in is parsed as it comes, and the rows read so far go out with a progress event: the first
 * as soon as there is a row, then at most one per this many ms, since each is a snapshot of all rows so far
 * (a whole map's walk), and a screen needs no more to fill in smoothly.
 */
const partialEveryMs = 100;

/** The longest identify line held back in front of the first dump (a machine name is some tens of bytes). */
const maxIdentifyLineBytes = 4096;

/** Retries of a silent board: the waits between probes, then the last one again and again. */
const retryGapsMs = [100, 200, 300];
/** A retry's probe window: short, so that the board is live again within a second of the line coming back. */
const retryProbeMs = 500;

function titleCase(name: string): string {
	if (name === 'micropython') return 'MicroPython';
	if (name === 'circuitpython') return 'CircuitPython';
	return name;
}

/** The last line of a traceback (or of noise printed while the board took the command in) naming MemoryError. */
function memoryErrorIn(bytes: Uint8Array): string | undefined {
	return sanitizeOutput(bytes)
		.split('\n')
		.map((line) => line.trim())
		.find((line) => line.startsWith('MemoryError'));
}

function lastLine(bytes: Uint8Array): string {
	const text = sanitizeOutput(bytes).trim();
	return text.split('\n').at(-1)?.trim() ?? text;
}

/**
 * A reading from `print(gc.mem_alloc(), gc.mem_free())` after a collect, on a firmware without mem_info:
 * `implementation` and `majorVersion` as `sys.implementation` said (CircuitPython from 9 grows its heap).
 */
export function gcTotalsSnapshot(
	line: string,
	firmware: { implementation: string; majorVersion: number } = { implementation: 'micropython', majorVersion: 1 },
): HeapSnapshot | undefined {
	const match = /^(\d+) (\d+)\s*$/.exec(line.trim());
	if (!match) return undefined;
	const usedBytes = Number(match[1]);
	const freeBytes = Number(match[2]);
	const circuitPython = firmware.implementation === 'circuitpython';
	const mayGrow = circuitPython && firmware.majorVersion >= 9;
	const warning = circuitPython
		? mayGrow
			? 'no block map: CircuitPython has no micropython.mem_info; figures from gc.mem_alloc() and gc.mem_free() after a collect (mem_free includes what the heap can still grow by)'
			: 'no block map: CircuitPython has no micropython.mem_info; figures from gc.mem_alloc() and gc.mem_free() after a collect'
		: 'no block map: this build has no micropython.mem_info (a minimal build); figures from gc.mem_alloc() and gc.mem_free() after a collect';
	return {
		gc: { totalBytes: usedBytes + freeBytes, usedBytes, freeBytes },
		areas: [],
		gcModuleOnly: { firmware: circuitPython ? 'circuitpython' : 'micropython', mayGrow },
		warnings: [warning],
		text: line.trim(),
	};
}

/** Creates the board source. Nothing happens until `open` or `start`. */
export function createBoardSource(options: BoardSourceOptions): BoardSource {
	const path = resolvePortName(options.port);
	const clock = options.clock ?? Date.now;
	const reconnectIntervalMs = options.reconnectIntervalMs ?? 500;
	const listeners = new Set<(event: SourceEvent) => void>();
	const openLink: OpenLink =
		options.open ?? (async (spec, linkOptions) => (await import('../link/open.js')).openLink(spec, linkOptions));

	let session: Session | undefined;
	let sanitizer: Sanitizer = createSanitizer();
	let status: SourceStatus = 'connecting';
	let statusMessage: string | undefined;
	let info: BoardInfo | undefined;
	let failure: PortError | undefined;
	let closed = false;
	let opened: Promise<StartOutcome> | undefined;
	let started: Promise<StartOutcome> | undefined;
	let queue: Promise<unknown> = Promise.resolve();
	let reconnectTimer: NodeJS.Timeout | undefined;
	let retryTimer: NodeJS.Timeout | undefined;
	let retryCount = 0;
	let probeOutput = '';
	let pasteCancelled = false;
	// A lost link cut one of our commands off: the board may wait in it for ever (a raw-paste waits for its data
	// and takes our probe's bytes as more of it). Ours to end, with Ctrl-C, when the board comes back silent.
	let ownCommandCut = false;
	let endedOwnCommand = false;
	// Set while a soft reset the user asked for runs, so that its reboot is not reported as a surprise.
	let resetting = false;
	let lastDumpBytes: number | undefined;
	// The board is still to be asked what it is, with the first snapshot or before any other command.
	let identifyPending = options.identify === 'with-first-snapshot';

	function emit(event: SourceEvent): void {
		for (const listener of [...listeners]) listener(event);
	}

	const noticesSaid = new Set<string>();
	let noticesHeld: string[] = [];
	function notice(line: string): void {
		if (noticesSaid.has(line)) return;
		noticesSaid.add(line);
		if (options.onNotice) options.onNotice(line);
		else if (listeners.size === 0) noticesHeld.push(line);
		else emit({ type: 'problem', message: line });
	}

	function setStatus(next: SourceStatus, message?: string, problem?: ProblemKind): void {
		status = next;
		statusMessage = message;
		const event: SourceEvent = { type: 'status', status: next };
		if (message !== undefined) event.message = message;
		if (problem !== undefined) event.problem = problem;
		emit(event);
	}

	function problem(kind: ProblemKind, message: string): SourceProblem {
		return { kind, message, where: where() };
	}

	function where(): string {
		return session?.link.name ?? path;
	}

	// Why the link went, in the link's own words ("the connection was closed by ser2net"), and that the screen
	// waits for it: one wording for the status line and for a read the loss cut short, whichever the screen
	// shows last. A printing command words it itself (startFailureLine).
	let lostError: PortError | undefined;
	function goneMessage(): string {
		return lostLinkWords(lostError, where());
	}

	/** Runs one piece of board work at a time: a key pressed twice must not interleave two commands. */
	function serial<T>(work: () => Promise<T>): Promise<T> {
		const next = queue.then(work, work);
		queue = next.catch(() => undefined);
		return next;
	}

	function attach(next: Session): void {
		session = next;
		lostError = undefined;
		sanitizer = createSanitizer();
		next.subscribe((event) => {
			if (session !== next) return;
			switch (event.type) {
				case 'output': {
					const text = sanitizer.push(event.bytes);
					// Only a running program's output is worth showing; the rest is our own echo and banners. While the
					// probe waits, nobody knows yet which it is: keep it (bounded) until the answer.
					if (text && status === 'busy') emit({ type: 'output', text, stream: 'stdout' });
					else if (text && status === 'connecting') probeOutput = (probeOutput + text).slice(-4096);
					break;
				}
				case 'soft-reboot':
					if (!resetting)
						emit({ type: 'problem', message: 'the board soft-rebooted: its heap was reset', problem: 'soft-reboot' });
					break;
				case 'paste-cancelled':
					pasteCancelled = true;
					break;
				case 'raw':
					// A busy board whose program ended by itself reached the raw prompt through the probe's queued Ctrl-A.
					if (status === 'busy' || status === 'not-answering') void serial(() => becomeLive());
					break;
				case 'gone':
					lost(event.error, event.cutCommand);
					break;
			}
		});
	}

	function lost(error: PortError | undefined, cutCommand: boolean): void {
		if (closed) return;
		lostError = error;
		if (cutCommand) ownCommandCut = true;
		session = undefined;
		stopRetry();
		setStatus('disconnected', goneMessage(), 'disconnected');
		scheduleReconnect();
	}

	function scheduleReconnect(): void {
		if (closed || reconnectTimer) return;
		reconnectTimer = setTimeout(() => {
			reconnectTimer = undefined;
			void serial(reconnect);
		}, reconnectIntervalMs);
	}

	async function reconnect(): Promise<void> {
		if (closed || session) return;
		try {
			attach(await openSession(path, sessionOptions()));
		} catch {
			scheduleReconnect();
			return;
		}
		// Come back as we left: never interrupt on a reconnect, the user's program may have started meanwhile.
		// Except our own command, cut off by a network link that went while the board kept its power (a bridge
		// or WebREPL restarted): a board that answers nothing, or only the rest of our exchange, is still in it.
		// A serial port that went away was unplugged, and the board restarted: what runs now is the user's.
		const back = await takeOver(false);
		const stuck = !back.ok && (back.problem.kind === 'not-answering' || back.problem.kind === 'busy');
		// (`session` was set by attach above, which the compiler cannot see.)
		const current = session as Session | undefined;
		if (stuck && ownCommandCut && current && current.link.kind !== 'serial') {
			stopRetry();
			endedOwnCommand = true;
			await takeOver(true);
		}
	}

	function sessionOptions(): Parameters<typeof openSession>[1] {
		return {
			open: openLink,
			link: {
				notice,
				...(options.byIdPath === undefined ? {} : { followId: options.byIdPath }),
				...(options.password === undefined ? {} : { password: options.password }),
			},
			...(options.repl ? { repl: options.repl } : {}),
		};
	}

	function stopRetry(): void {
		if (retryTimer) clearTimeout(retryTimer);
		retryTimer = undefined;
	}

	/** Probes a silent board again, with backoff, until it answers (or is busy, gone, closed). */
	function scheduleRetry(): void {
		if (closed || retryTimer || !session?.open) return;
		const gap = retryGapsMs[Math.min(retryCount, retryGapsMs.length - 1)] ?? 300;
		retryCount++;
		retryTimer = setTimeout(() => {
			retryTimer = undefined;
			void serial(async () => {
				if (status === 'not-answering' && session) await takeOver(false, retryProbeMs);
			});
		}, gap);
	}

	/** Identifies the board if it was not yet, and says it is live. */
	async function becomeLive(): Promise<StartOutcome> {
		stopRetry();
		retryCount = 0;
		probeOutput = '';
		if (!info && !identifyPending) {
			const identified = await identify();
			if (!identified.ok) return identified;
		}
		const message = pasteCancelled
			? 'the board was in paste mode: a paste in progress was cancelled (Ctrl-C) to take it over'
			: endedOwnCommand
				? "the board was still in heaptop's command that the lost link cut off: it was ended (Ctrl-C)"
				: undefined;
		pasteCancelled = false;
		ownCommandCut = false;
		endedOwnCommand = false;
		setStatus('live', message);
		return { ok: true };
	}

	/** Asks what the board is when that was left for the first snapshot and something else comes first. */
	async function identifyFirst(): Promise<StartOutcome> {
		if (!identifyPending || info) return { ok: true };
		return identify();
	}

	async function identify(): Promise<StartOutcome> {
		const current = session;
		if (!current) return { ok: false, problem: problem('disconnected', goneMessage()) };
		identifyPending = false;
		const result = await current.exec(identifyCode);
		if (result.ok) {
			const parsed = parseBoardInfo(latin1Text(result.stdout));
			if (parsed?.hasMemInfo !== undefined) {
				info = { ...parsed, hasMemInfo: parsed.hasMemInfo };
				return { ok: true };
			}
		}
		const memory = memoryErrorIn(result.ok ? result.exception : result.partial);
		if (memory) {
			// A heap so full that even this one line cannot compile is what the user came to see: carry on
			// without the board's name and let the snapshot say how bad it is.
			emit({ type: 'problem', message: `the heap is too full to ask the board what it is (${memory})` });
			return { ok: true };
		}
		if (!result.ok && (result.kind === 'timeout' || result.kind === 'gone')) return failedExec(result.kind);
		return notMicroPython(result.ok ? lastLine(result.exception) : result.kind);
	}

	function notMicroPython(why: string): StartOutcome & { ok: false } {
		const message = `${where()} answers in the raw REPL but not as MicroPython expected (${why})`;
		setStatus('error', message, 'not-micropython');
		return { ok: false, problem: problem('not-micropython', message) };
	}

	/** What an exec that did not come back means for the board's status. */
	function failedExec(kind: 'timeout' | 'gone' | 'overflow'): StartOutcome & { ok: false } {
		if (kind === 'gone') return { ok: false, problem: problem('disconnected', goneMessage()) };
		if (kind === 'overflow') {
			const message = `${where()} kept printing after our command, without end: heaptop stopped it (Ctrl-C) and dropped the rest`;
			setStatus('busy', message, 'busy');
			scheduleRetry();
			return { ok: false, problem: problem('damaged', message) };
		}
		const message = `${where()} stopped answering in the middle of a reply, or sent it too slowly ever to end (under 64 B in 10 s): trying again by itself`;
		setStatus('not-answering', message, 'not-answering');
		scheduleRetry();
		return { ok: false, problem: problem('not-answering', message) };
	}

	/** Gets to the raw prompt and identifies the board; the outcome, also told as a status. */
	async function takeOver(interrupt: boolean, probeTimeoutMs?: number): Promise<StartOutcome> {
		const current = session;
		if (!current) return { ok: false, problem: problem('disconnected', `${path} is not open`) };
		const entered = await current.enter({
			interrupt,
			...(probeTimeoutMs === undefined ? {} : { probeTimeoutMs }),
		});
		if (entered.ok) return becomeLive();
		switch (entered.kind) {
			case 'busy': {
				stopRetry();
				const message = `${where()} is running a program`;
				setStatus('busy', message, 'busy');
				if (probeOutput) emit({ type: 'output', text: probeOutput, stream: 'stdout' });
				probeOutput = '';
				return { ok: false, problem: problem('busy', message) };
			}
			case 'not-answering': {
				const message = `${where()} is not answering: trying again by itself`;
				if (status !== 'not-answering') setStatus('not-answering', message, 'not-answering');
				scheduleRetry();
				return { ok: false, problem: problem('not-answering', message) };
			}
			case 'enter-failed': {
				const message = `${where()} does not answer: no raw REPL prompt within 10 s of Ctrl-C`;
				setStatus('error', message, 'not-answering');
				return { ok: false, problem: problem('not-answering', message) };
			}
			default:
				return { ok: false, problem: problem('disconnected', goneMessage()) };
		}
	}

	/** One `mem_info(1)`, as the snapshot policy wants it; the first may ask what the board is in front of it. */
	async function dump(collect: boolean): Promise<DumpAnswer> {
		const current = session;
		if (!current) return { ok: false, kind: 'disconnected', message: `${where()} is not connected` };
		const asking = identifyPending && !info;
		const parser = createMemInfoParser();
		const streamed: HeapSnapshot[] = [];
		// Where in the output the parser's text begins (after the identify line, once it is known), and how many
		// bytes of it the parser has read: the end of the exchange hands it the rest instead of parsing again.
		let parsedFrom: number | undefined = asking ? undefined : 0;
		let parsedBytes = 0;
		let partialAtMs: number | undefined;
		// The identify line in front of the dump: held back until it is whole, read, and kept out of the parser.
		let head: string | undefined = asking ? '' : undefined;
		const code = `${asking ? identifyFirstCode : ''}${collect ? collectSnapshotCode : snapshotCode}`;
		const result = await current.exec(code, {
			onProgress: (receivedBytes, bytes) => {
				const event: SourceEvent & { type: 'progress' } = { type: 'progress', receivedBytes };
				if (lastDumpBytes !== undefined) event.expectedBytes = lastDumpBytes;
				let text = latin1Text(bytes);
				if (head !== undefined) {
					const joined = head + text;
					const end = joined.indexOf('\n');
					// A line that long is no identify line: the end of the exchange says what it was.
					if (end < 0 && joined.length <= maxIdentifyLineBytes) {
						head = joined;
						return;
					}
					head = undefined;
					if (end >= 0) learnIdentity(joined.slice(0, end + 1));
					text = end >= 0 ? joined.slice(end + 1) : joined;
					parsedFrom = end + 1;
				}
				// Only whole lines are read: the parser keeps a row cut by the chunk's end for the next chunk.
				streamed.push(...parser.push(text));
				parsedBytes += text.length;
				const nowMs = clock();
				if (partialAtMs === undefined || nowMs - partialAtMs >= partialEveryMs) {
					const partial = parser.partial();
					if (partial?.areas.some((area) => area.cells.length > 0)) {
						event.partial = partial;
						partialAtMs = nowMs;
					}
				}
				emit(event);
			},
		});
		/** The parser's reading of the output from `from`, when it has read that text as it came. */
		const streamedParse = (output: Uint8Array, from: number): ParseResult | undefined => {
			if (parsedFrom !== from || from + parsedBytes > output.length) return undefined;
			const rest = latin1Text(output.subarray(from + parsedBytes));
			return parseResultOf(parser, [...streamed, ...parser.push(rest), ...parser.end()]);
		};
		if (!asking) return dumpAnswer(result, result.ok ? streamedParse(result.stdout, 0) : undefined);
		identifyPending = false;
		const output = result.ok ? result.stdout : result.partial;
		const newline = output.indexOf(0x0a);
		const identified = newline >= 0 && learnIdentity(latin1Text(output.subarray(0, newline + 1)));
		if (!identified) {
			const memory = memoryErrorIn(result.ok ? result.exception : result.partial);
			if (memory) {
				// Too full to compile the longer line: as when identify alone meets it, carry on without the name.
				emit({ type: 'problem', message: `the heap is too full to ask the board what it is (${memory})` });
				return dump(collect);
			}
			if (!result.ok) {
				// No whole answer (gone, silent, endless, damaged on the way): ask again with the next one.
				identifyPending = true;
				return dumpAnswer(result);
			}
			const outcome = notMicroPython(lastLine(result.exception) || 'no identify line');
			return { ok: false, kind: 'not-micropython', message: outcome.problem.message };
		}
		const rest = output.subarray(newline + 1);
		if (result.ok && info && /^AttributeError\b.*\bmem_info\b/.test(lastLine(result.exception))) {
			// No mem_info on this build (CircuitPython, a minimal build): snapshot() reads the GC's totals instead.
			info = { ...info, hasMemInfo: false };
		}
		if (!result.ok) return dumpAnswer({ ...result, partial: rest });
		return dumpAnswer({ ...result, stdout: rest }, streamedParse(output, newline + 1));
	}

	/** Takes the identify line in front of the first dump; false when it is none. */
	function learnIdentity(line: string): boolean {
		if (info) return true;
		const parsed = parseBoardInfo(line);
		if (!parsed) return false;
		// mem_info's presence is known at the end of the exchange; until then it is taken to be there.
		info = { ...parsed, hasMemInfo: parsed.hasMemInfo ?? true };
		return true;
	}

	/** What one dump's exec means for the snapshot policy. */
	function dumpAnswer(result: ExecOutcome, parsed?: ParseResult): DumpAnswer {
		if (result.ok) {
			const exception = sanitizeOutput(result.exception).trim();
			if (!exception) {
				lastDumpBytes = result.stdout.length;
				const text = latin1Text(result.stdout);
				return parsed ? { ok: true, text, parsed } : { ok: true, text };
			}
			const line = lastLine(result.exception);
			return /MemoryError/.test(line) ? { ok: false, kind: 'memory', line } : { ok: false, kind: 'raised', line };
		}
		// Printed while the board was still taking the command in (its line buffer could not grow).
		const memory = memoryErrorIn(result.partial);
		if (memory) return { ok: false, kind: 'memory', line: memory };
		switch (result.kind) {
			case 'gone':
				return { ok: false, kind: 'disconnected', message: goneMessage() };
			case 'not-ready':
				return { ok: false, kind: 'not-answering', message: `${where()} is not at the raw prompt` };
			case 'timeout':
			case 'overflow': {
				const outcome = failedExec(result.kind);
				// Megabytes of a reply that would not end hold no dump worth parsing.
				const text = result.kind === 'overflow' ? '' : latin1Text(result.partial);
				return { ok: false, kind: 'damaged', text, why: outcome.problem.message };
			}
			default:
				return { ok: false, kind: 'damaged', text: latin1Text(result.partial), why: result.kind };
		}
	}

	async function gcTotalsReading(): Promise<ReadOutcome> {
		const result = await session?.exec(gcTotalsCode);
		const firmware = {
			implementation: info?.implementation ?? 'micropython',
			majorVersion: Number.parseInt(info?.version ?? '1', 10) || 1,
		};
		const totals = result?.ok ? gcTotalsSnapshot(latin1Text(result.stdout), firmware) : undefined;
		if (!totals) {
			return {
				ok: false,
				problem: problem('failed', 'could not read gc.mem_alloc()/gc.mem_free() from the board'),
			};
		}
		return publish({ snapshot: totals, atMs: clock(), afterCollect: true });
	}

	function publish(reading: Reading): ReadOutcome {
		emit({ type: 'reading', reading });
		return { ok: true, reading };
	}

	function notLive(): SourceProblem {
		switch (status) {
			case 'busy':
				return problem('busy', statusMessage ?? `${where()} is running a program`);
			case 'not-answering':
				return problem('not-answering', statusMessage ?? `${where()} is not answering`);
			case 'disconnected':
				return problem('disconnected', statusMessage ?? goneMessage());
			case 'connecting':
				return problem('closed', `${where()} is still connecting`);
			default:
				return problem(failure ? 'port' : 'failed', statusMessage ?? `${where()} cannot be read`);
		}
	}

	async function snapshot(collect: boolean): Promise<ReadOutcome> {
		if (closed) return { ok: false, problem: problem('closed', 'the board source is closed') };
		// A silent board is tried once more at once: the user asked, and the line may be back.
		if (status === 'not-answering' && session) await takeOver(false, retryProbeMs);
		if (status !== 'live') return { ok: false, problem: notLive() };
		if (info && !info.hasMemInfo) return gcTotalsReading();
		const outcome = await takeSnapshot(dump, collect, clock);
		// The first dump found no mem_info on this build.
		if (!outcome.ok && info && !info.hasMemInfo) return gcTotalsReading();
		if (!outcome.ok) {
			emit({ type: 'problem', message: outcome.problem.message });
			return { ok: false, problem: { ...outcome.problem, where: where() } };
		}
		if (outcome.note) emit({ type: 'problem', message: outcome.note.message });
		return publish(outcome.reading);
	}

	function openOnce(): Promise<StartOutcome> {
		opened ??= serial(async (): Promise<StartOutcome> => {
			setStatus('connecting', `connecting to ${path}…`);
			try {
				attach(await openSession(path, sessionOptions()));
				return { ok: true };
			} catch (error) {
				failure =
					error instanceof PortError
						? error
						: new PortError(
								'closed',
								path,
								`could not open ${path}: ${error instanceof Error ? error.message : String(error)}`,
							);
				setStatus('error', failure.message, 'port');
				return { ok: false, problem: { kind: 'port', message: failure.message, port: failure.kind, where: path } };
			}
		});
		return opened;
	}

	return {
		canRead: true,
		get status() {
			return status;
		},
		get info() {
			return info;
		},
		identity() {
			if (!info) return undefined;
			const { implementation, version, machine, platform } = info;
			return { implementation, version, machine, platform, link: linkKindOf(options.port), port: options.port };
		},
		get failure() {
			return failure;
		},
		describe() {
			const name = where();
			if (!info) return name;
			const machine = info.machine ? ` (${info.machine})` : '';
			return `${name} · ${titleCase(info.implementation)} v${info.version} on ${info.platform}${machine}`;
		},
		subscribe(listener) {
			listeners.add(listener);
			// A subscriber that comes after the start hears where the board stands, as if it had been there.
			if (status !== 'connecting' || statusMessage !== undefined) {
				const event: SourceEvent = { type: 'status', status };
				if (statusMessage !== undefined) event.message = statusMessage;
				listener(event);
			}
			const held = noticesHeld;
			noticesHeld = [];
			for (const line of held) listener({ type: 'problem', message: line });
			return () => listeners.delete(listener);
		},
		open: openOnce,
		start() {
			started ??= openOnce().then((outcome) =>
				outcome.ok
					? serial(() => (session ? takeOver(options.interrupt ?? false) : Promise.resolve(outcome)))
					: outcome,
			);
			return started;
		},
		read({ collect }) {
			return serial(() => snapshot(collect));
		},
		readLight() {
			return serial(async (): Promise<LightOutcome> => {
				if (!closed && status === 'live') await identifyFirst();
				const current = session;
				if (closed || status !== 'live' || !current) return { ok: false, problem: notLive() };
				const result = await current.exec(lightCode);
				const match = result.ok ? /^(\d+) (\d+)\s*$/.exec(latin1Text(result.stdout)) : null;
				if (!match) {
					if (!result.ok && (result.kind === 'timeout' || result.kind === 'overflow')) failedExec(result.kind);
					return {
						ok: false,
						problem: problem('failed', 'could not read gc.mem_alloc()/gc.mem_free() from the board'),
					};
				}
				const light = { atMs: clock(), usedBytes: Number(match[1]), freeBytes: Number(match[2]) };
				emit({ type: 'light', light });
				return { ok: true, light };
			});
		},
		interrupt() {
			return serial(async () => {
				// A silent board too: a program that prints nothing, or a command a cut-off client left it in.
				if ((status !== 'busy' && status !== 'not-answering') || !session) return;
				stopRetry();
				setStatus('connecting', 'interrupting the running program');
				await takeOver(true);
			});
		},
		probeLargestBlock() {
			return serial(async () => {
				if (status === 'live') await identifyFirst();
				const current = session;
				if (status !== 'live' || !current) return undefined;
				const free = await current.exec(freeCode);
				const match = free.ok ? /^(\d+)\s*$/.exec(latin1Text(free.stdout)) : null;
				if (!match) {
					emit({ type: 'problem', message: 'the largest-block probe could not read gc.mem_free()' });
					return undefined;
				}
				// Bisection on the host, one allocation per command: about 18 round trips for a 200 KiB heap.
				let low = 0;
				let high = Number(match[1]);
				while (low < high) {
					const middle = Math.floor((low + high + 1) / 2);
					const trial = await current.exec(probeTrialCode(middle));
					if (!trial.ok) return undefined;
					if (trial.exception.length === 0) low = middle;
					else if (memoryErrorIn(trial.exception)) high = middle - 1;
					else return undefined;
				}
				// The last trial's bytearray is garbage, and where the heap grew for it (CircuitPython 9) a collect
				// lets the GC give the new area back: leave the heap as the probe found it, as far as can be.
				await current.exec("__import__('gc').collect()");
				return low;
			});
		},
		execute(code, executeOptions = {}) {
			return serial(async (): Promise<ExecOutcome> => {
				if (status === 'live') await identifyFirst();
				if (status !== 'live' || !session) return { ok: false, kind: 'not-ready', partial: new Uint8Array(0) };
				const result = await session.exec(code, executeOptions.onStdout ? { onStdout: executeOptions.onStdout } : {});
				if (!result.ok && (result.kind === 'timeout' || result.kind === 'overflow')) failedExec(result.kind);
				return result;
			});
		},
		softReset() {
			return serial(async () => {
				if (status === 'live') await identifyFirst();
				const current = session;
				if (status !== 'live' || !current) return false;
				resetting = true;
				try {
					if (await current.softReset()) return true;
					if (session) setStatus('error', `${where()} did not come back to the raw REPL after the soft reset`);
					return false;
				} finally {
					resetting = false;
				}
			});
		},
		async close() {
			if (closed) return;
			closed = true;
			stopRetry();
			if (reconnectTimer) clearTimeout(reconnectTimer);
			// Whatever is queued may wait on the board; leaving must not wait behind it for long. The limit's timer is
			// cleared as soon as the queue is done: left running, it kept every finished command alive 200 ms more.
			let limit: NodeJS.Timeout | undefined;
			await Promise.race([
				queue.catch(() => undefined),
				new Promise((resolve) => {
					limit = setTimeout(resolve, 200);
				}),
			]);
			clearTimeout(limit);
			const current = session;
			session = undefined;
			await current?.close();
		},
	};
}
