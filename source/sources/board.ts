import { writeSync } from 'node:fs';
import { access, constants, stat } from 'node:fs/promises';
import { SerialPort } from 'serialport';
import type { HeapSnapshot } from '../heap/model.js';
import { parseMemInfo } from '../heap/parse.js';
import { asciiBytes, latin1Text } from '../protocol/bytes.js';
import {
	createRawReplClient,
	isCommandPhase,
	type RawExecResult,
	type RawReplClient,
	type RawReplEvent,
	type RawReplOptions,
	type RawReplStep,
} from '../protocol/raw-repl.js';
import { createSanitizer, type Sanitizer, sanitizeOutput } from '../protocol/sanitize.js';
import { existingPortPaths, followById, resolvePortName } from './ports.js';
import type { HeapSource, Reading, SourceEvent, SourceStatus } from './source.js';

/**
 * A MicroPython board on a serial port. Opens it exclusively at 115200 with DTR asserted, enters the raw
 * REPL without interrupting anything (a running program makes the status `busy` until `interrupt()`), stays
 * in the raw REPL between snapshots, and leaves with Ctrl-B on close. It never soft-resets the board.
 */

/** Why a port could not be used, in a line the user can act on. */
export type PortErrorKind = 'busy' | 'permission' | 'missing' | 'io';

/** A port that could not be opened or was lost. The message is the one line shown to the user. */
export class PortError extends Error {
	override name = 'PortError';
	constructor(
		readonly kind: PortErrorKind,
		message: string,
	) {
		super(message);
	}
}

/** What the board said about itself. */
export type BoardInfo = {
	/** `sys.implementation.name`: `micropython` or `circuitpython`. */
	implementation: string;
	/** `sys.implementation.version`, as `1.22.1`. */
	version: string;
	/** `sys.platform`: `rp2`, `esp32`, `webassembly`… */
	platform: string;
	/** `sys.implementation._machine` (MicroPython ≥ v1.20): `Raspberry Pi Pico with RP2040`; may be empty. */
	machine: string;
	/** False on CircuitPython and small builds: no block map, only gc.mem_free()/mem_alloc(). */
	hasMemInfo: boolean;
};

/** How to reach the board. */
export type BoardSourceOptions = {
	/** A device path, or an mpremote shortcut (`a0`, `u0`, `c0`). */
	port: string;
	/** Stop a running program without asking (`--interrupt`). */
	interrupt?: boolean;
	/** The raw REPL client's timing. */
	repl?: RawReplOptions;
	/** How often to look for an unplugged board coming back. Default 500. */
	reconnectIntervalMs?: number;
	/** How long `close` waits for the friendly prompt after Ctrl-B. Default 1500. */
	closeTimeoutMs?: number;
	/** The stable /dev/serial/by-id name, to find the board again if it comes back under another name. */
	byIdPath?: string;
	/** Wall clock for readings. Default Date.now. */
	clock?: () => number;
};

/** The serial board as a heap source, plus what only a board has. */
export type BoardSource = HeapSource & {
	readonly status: SourceStatus;
	readonly info: BoardInfo | undefined;
	/** Set when `start` could not open the port: the one line for the CLI. */
	readonly failure: PortError | undefined;
	/** Stops the running program (Ctrl-C) and takes the board over. Only acts when `busy`. */
	interrupt(): Promise<void>;
	/**
	 * The largest `bytearray` that can be allocated now, found by bisecting sizes after a collect (key `b`, and
	 * CircuitPython's stand-in for the map). A probe: it allocates on the heap it measures. Undefined when the
	 * board could not run it.
	 */
	probeLargestBlock(): Promise<number | undefined>;
	/**
	 * Runs the user's code at the raw prompt (`imports`, `profile`): what it printed and raised, or undefined
	 * when the board is not live or went away meanwhile.
	 */
	execute(code: string): Promise<RawExecResult | undefined>;
	/**
	 * Soft-resets the board (its Python heap and variables are wiped) and waits for the raw prompt again.
	 * Only for `imports --fresh`, where the user asked for it. False when the board did not come back.
	 */
	softReset(): Promise<boolean>;
	/**
	 * For an exit handler that cannot wait: writes `\r` Ctrl-B straight to the port's file descriptor so the
	 * board is not left in the raw REPL, with a Ctrl-C first when a command of ours is still running.
	 */
	leaveSync(): void;
};

// Short, and binding no names in the user's __main__: what the snapshot costs the heap is only its compile.
const snapshotCode = "__import__('micropython').mem_info(1)";
const collectSnapshotCode = "__import__('gc').collect();__import__('micropython').mem_info(1)";
const identifyCode =
	"(lambda s,m:print(s.implementation.name,'.'.join(map(str,s.implementation.version[:3])),s.platform," +
	"getattr(s.implementation,'_machine',''),hasattr(m,'mem_info'),sep='|'))(__import__('sys'),__import__('micropython'))";
/** One trial of the largest-block probe: a fresh command each, so no stale pointer keeps the last try alive. */
function probeTrialCode(bytes: number): string {
	return `__import__('gc').collect();bytearray(${bytes})`;
}
const freeCode = "print((lambda g:(g.collect(),g.mem_free())[1])(__import__('gc')))";
// CircuitPython and small builds have no mem_info: the GC's own totals, labelled as such.
const gcTotalsCode = "(lambda g:(g.collect(),print(g.mem_alloc(),g.mem_free())))(__import__('gc'))";

type Waiter = (event: RawReplEvent | { type: 'port-lost' }) => boolean;

function portErrorFor(error: unknown, path: string, existing: () => Promise<string[]>): Promise<PortError> {
	const message = error instanceof Error ? error.message : String(error);
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	if (/Cannot lock port|Resource temporarily unavailable|EBUSY|busy/i.test(message) || code === 'EBUSY') {
		return Promise.resolve(
			new PortError(
				'busy',
				`${path} is busy: another program holds it (mpremote, a serial monitor, another heaptop); close it and try again`,
			),
		);
	}
	if (/Permission denied|EACCES/i.test(message) || code === 'EACCES') {
		return stat(path).then(
			(info) =>
				new PortError(
					'permission',
					`no permission to open ${path} (group id ${info.gid}): add yourself to its group, e.g. sudo usermod -aG dialout $USER, then log in again`,
				),
			() => new PortError('permission', `no permission to open ${path}: add yourself to the group that owns it`),
		);
	}
	if (/No such file|ENOENT/i.test(message) || code === 'ENOENT') {
		return existing().then((paths) => {
			const list = paths.length > 0 ? `ports here: ${paths.join(', ')}` : 'no serial ports found';
			return new PortError('missing', `${path} does not exist (${list}); run heaptop ports`);
		});
	}
	return Promise.resolve(new PortError('io', `could not open ${path}: ${message}`));
}

function openSerial(path: string): Promise<SerialPort> {
	return new Promise((resolve, reject) => {
		// Exclusive (flock), 8N1 at 115200 as mpremote; native USB ignores the rate, UART bridges need it.
		const port = new SerialPort({ path, baudRate: 115200, autoOpen: false, lock: true });
		port.open((error) => (error ? reject(error) : resolve(port)));
	});
}

function titleCase(name: string): string {
	if (name === 'micropython') return 'MicroPython';
	if (name === 'circuitpython') return 'CircuitPython';
	return name;
}

/**
 * The MemoryError line when a command failed for want of heap: as its traceback, or printed while the board
 * was still taking the command in (its line buffer could not grow), which shows as noise before `OK`.
 */
function memoryErrorIn(result: RawExecResult): string | undefined {
	const text = sanitizeOutput(result.complete ? result.exception : result.stdout);
	return text
		.split('\n')
		.map((line) => line.trim())
		.find((line) => line.startsWith('MemoryError'));
}

/** Parses the identify command's one line. */
export function parseBoardInfo(line: string): BoardInfo | undefined {
	const parts = line.trim().split('|');
	if (parts.length !== 5) return undefined;
	const [implementation = '', version = '', platform = '', machine = '', hasMemInfo = ''] = parts;
	return { implementation, version, platform, machine, hasMemInfo: hasMemInfo === 'True' };
}

/** A snapshot from `gc.mem_alloc()`/`gc.mem_free()` alone, for boards without `mem_info`. */
export function gcTotalsSnapshot(line: string): HeapSnapshot | undefined {
	const match = /^(\d+) (\d+)\s*$/.exec(line.trim());
	if (!match) return undefined;
	const usedBytes = Number(match[1]);
	const freeBytes = Number(match[2]);
	return {
		gc: { totalBytes: usedBytes + freeBytes, usedBytes, freeBytes },
		areas: [],
		warnings: [
			'no block map: this firmware has no micropython.mem_info (CircuitPython); figures from gc.mem_alloc() and gc.mem_free() after a collect',
		],
		text: line.trim(),
	};
}

/** Creates the board source. Nothing happens until `start`. */
export function createBoardSource(options: BoardSourceOptions): BoardSource {
	const path = resolvePortName(options.port);
	const clock = options.clock ?? Date.now;
	const reconnectIntervalMs = options.reconnectIntervalMs ?? 500;
	const closeTimeoutMs = options.closeTimeoutMs ?? 1500;
	const listeners = new Set<(event: SourceEvent) => void>();
	const waiters = new Set<Waiter>();

	let port: SerialPort | undefined;
	let client: RawReplClient = createRawReplClient(options.repl);
	let sanitizer: Sanitizer = createSanitizer();
	let status: SourceStatus = 'connecting';
	let info: BoardInfo | undefined;
	let failure: PortError | undefined;
	let closing = false;
	let tickTimer: NodeJS.Timeout | undefined;
	let reconnectTimer: NodeJS.Timeout | undefined;
	let presenceTimer: NodeJS.Timeout | undefined;
	let queue: Promise<unknown> = Promise.resolve();
	let currentPath = path;
	let probeOutput = '';
	// Set while a soft reset the user asked for runs, so that its reboot is not reported as a surprise.
	let resetting = false;
	let leftSync = false;

	function emit(event: SourceEvent): void {
		for (const listener of listeners) listener(event);
	}

	function setStatus(next: SourceStatus, message?: string): void {
		status = next;
		emit(message === undefined ? { type: 'status', status: next } : { type: 'status', status: next, message });
	}

	function apply(step: RawReplStep): void {
		for (const bytes of step.writes) port?.write(Buffer.from(bytes));
		for (const event of step.events) handle(event);
		schedule();
	}

	function schedule(): void {
		if (tickTimer) clearTimeout(tickTimer);
		tickTimer = undefined;
		const deadline = client.deadlineMs();
		if (deadline === undefined || !port) return;
		tickTimer = setTimeout(() => apply(client.tick(clock())), Math.max(0, deadline - clock()));
	}

	function notify(event: RawReplEvent | { type: 'port-lost' }): void {
		for (const waiter of [...waiters]) if (waiter(event)) waiters.delete(waiter);
	}

	function handle(event: RawReplEvent): void {
		if (event.type === 'output') {
			const text = sanitizer.push(event.bytes);
			// Only a running program's output is worth showing; the rest is our own echo and banners. While the
			// probe waits, nobody knows yet which it is: keep it until the answer.
			if (text && status === 'busy') emit({ type: 'output', text, stream: 'stdout' });
			else if (text && status === 'connecting') probeOutput += text;
		} else if (event.type === 'soft-reboot') {
			if (!resetting) emit({ type: 'problem', message: 'the board soft-rebooted: its heap was reset' });
		} else if (event.type === 'busy') {
			setStatus('busy', 'running a program: interrupt it (i) or watch it with --listen');
			if (probeOutput) emit({ type: 'output', text: probeOutput, stream: 'stdout' });
			probeOutput = '';
		} else if (event.type === 'raw-repl') {
			probeOutput = '';
			// A busy board whose program ended by itself reached the raw prompt through the probe's queued Ctrl-A.
			if (status === 'busy') {
				void serial(async () => {
					if (status === 'busy' && client.phase === 'raw-idle') await identify();
				});
			}
		}
		notify(event);
	}

	function waitFor<T extends RawReplEvent['type']>(
		types: readonly T[],
	): Promise<Extract<RawReplEvent, { type: T }> | undefined> {
		return new Promise((resolve) => {
			waiters.add((event) => {
				if (event.type === 'port-lost') {
					resolve(undefined);
					return true;
				}
				if ((types as readonly string[]).includes(event.type)) {
					resolve(event as Extract<RawReplEvent, { type: T }>);
					return true;
				}
				return false;
			});
		});
	}

	function serial<T>(work: () => Promise<T>): Promise<T> {
		const next = queue.then(work, work);
		queue = next.catch(() => undefined);
		return next;
	}

	async function exec(code: string): Promise<RawExecResult | undefined> {
		if (!port || client.phase !== 'raw-idle') return undefined;
		const done = waitFor(['result']);
		apply(client.exec(code, clock()));
		return (await done)?.result;
	}

	async function identify(): Promise<boolean> {
		const result = await exec(identifyCode);
		if (!result) return false;
		const parsed = result.complete ? parseBoardInfo(latin1Text(result.stdout)) : undefined;
		const exception = memoryErrorIn(result) ?? '';
		if (!parsed && exception) {
			// A heap so full that even this one line cannot compile is what the user came to see: carry on
			// without the board's name and let the snapshot say how bad it is.
			emit({ type: 'problem', message: `the heap is too full to ask the board what it is (${exception})` });
			setStatus('live');
			return true;
		}
		if (!parsed) {
			const why = result.complete ? sanitizeOutput(result.exception).trim().split('\n').at(-1) : result.problem;
			setStatus('error', `${currentPath} answers in the raw REPL but not as MicroPython expected (${why})`);
			return false;
		}
		info = parsed;
		setStatus('live');
		return true;
	}

	/** Gets to the raw prompt and identifies the board; reports busy or failure as status. */
	async function takeOver(interrupt: boolean): Promise<void> {
		if (client.phase === 'raw-idle') {
			// Already there: the program ended on its own and our queued Ctrl-A took the board to raw mode.
			await identify();
			return;
		}
		const reached = waitFor(['raw-repl', 'busy', 'enter-failed']);
		apply(interrupt ? client.interrupt(clock()) : client.connect(clock(), { interrupt: false }));
		const event = await reached;
		if (!event) return;
		if (event.type === 'raw-repl') {
			await identify();
		} else if (event.type === 'enter-failed') {
			setStatus('error', `${currentPath} does not answer: no raw REPL prompt within 10 s of Ctrl-C`);
		}
	}

	function onPortGone(): void {
		if (closing || !port) return;
		const gone = port;
		gone.removeAllListeners();
		gone.on('error', () => undefined);
		if (gone.isOpen) gone.close(() => undefined);
		port = undefined;
		if (presenceTimer) clearInterval(presenceTimer);
		presenceTimer = undefined;
		if (tickTimer) clearTimeout(tickTimer);
		notify({ type: 'port-lost' });
		setStatus('disconnected', `${currentPath} went away: waiting for the board to come back`);
		scheduleReconnect();
	}

	function scheduleReconnect(): void {
		if (closing || reconnectTimer) return;
		reconnectTimer = setTimeout(() => {
			reconnectTimer = undefined;
			void serial(reconnect);
		}, reconnectIntervalMs);
	}

	async function reconnect(): Promise<void> {
		if (closing || port) return;
		const candidate = (options.byIdPath && (await followById(options.byIdPath))) || path;
		try {
			await access(candidate, constants.R_OK | constants.W_OK);
			await attach(candidate);
		} catch {
			scheduleReconnect();
			return;
		}
		// Come back as we left: never interrupt on a reconnect, the user's program may have started meanwhile.
		await takeOver(false);
	}

	async function attach(at: string): Promise<void> {
		const opened = await openSerial(at);
		currentPath = at;
		port = opened;
		client = createRawReplClient(options.repl);
		sanitizer = createSanitizer();
		opened.on('data', (chunk: Buffer) => apply(client.push(new Uint8Array(chunk), clock())));
		opened.on('close', () => onPortGone());
		opened.on('error', () => onPortGone());
		// DTR asserted: TinyUSB boards count the host as connected only then (protocol.md §4.5). Linux raises it on
		// open already; a pseudo-terminal has no modem lines and refuses, which is fine.
		opened.set({ dtr: true }, () => undefined);
		// An idle port may not hear the hang-up until it next writes; the device node vanishing is the surer sign.
		presenceTimer = setInterval(() => {
			access(at).catch(() => onPortGone());
		}, reconnectIntervalMs);
	}

	async function snapshot(collect: boolean): Promise<Reading | undefined> {
		if (client.phase === 'lost' || client.phase === 'unknown') await takeOver(false);
		if (status !== 'live') return undefined;
		if (info && !info.hasMemInfo) return gcTotalsReading();
		const result = await exec(collect ? collectSnapshotCode : snapshotCode);
		if (!result) return undefined;
		const atMs = clock();
		const memoryError = memoryErrorIn(result);
		if (memoryError && !result.complete) {
			emit({
				type: 'problem',
				message: `the heap is too fragmented to run even the snapshot command (${memoryError}); keeping the last snapshot`,
			});
			return undefined;
		}
		if (!result.complete) {
			const parsed = parseMemInfo(latin1Text(result.stdout));
			emit({ type: 'problem', message: `the dump was damaged on the way (${result.problem}): shown as incomplete` });
			if (result.problem === 'timeout') await takeOver(false);
			if (!parsed.ok) return undefined;
			return publish({ snapshot: parsed.snapshot, atMs, afterCollect: collect, incomplete: true });
		}
		const exception = sanitizeOutput(result.exception).trim();
		if (exception) {
			const last = exception.split('\n').at(-1) ?? exception;
			if (/MemoryError/.test(last) && !collect) {
				// The command could not even compile on a fragmented heap: a collect may make the room.
				return snapshot(true);
			}
			if (/MemoryError/.test(last)) {
				emit({
					type: 'problem',
					message: `the heap is too fragmented to run even the snapshot command (${last}); keeping the last snapshot`,
				});
				return undefined;
			}
			emit({ type: 'problem', message: `the board raised ${last}` });
			return undefined;
		}
		const parsed = parseMemInfo(latin1Text(result.stdout));
		if (!parsed.ok) {
			emit({ type: 'problem', message: `could not read the dump: ${parsed.error.message}` });
			return undefined;
		}
		return publish({ snapshot: parsed.snapshot, atMs, afterCollect: collect });
	}

	async function gcTotalsReading(): Promise<Reading | undefined> {
		const result = await exec(gcTotalsCode);
		const totals = result?.complete ? gcTotalsSnapshot(latin1Text(result.stdout)) : undefined;
		if (!totals) {
			emit({ type: 'problem', message: 'could not read gc.mem_alloc()/gc.mem_free() from the board' });
			return undefined;
		}
		return publish({ snapshot: totals, atMs: clock(), afterCollect: true });
	}

	function publish(reading: Reading): Reading {
		emit({ type: 'reading', reading });
		return reading;
	}

	function waitForFriendly(): Promise<void> {
		return new Promise((resolve) => {
			const timer = setTimeout(() => {
				waiters.delete(waiter);
				resolve();
			}, closeTimeoutMs);
			const waiter: Waiter = (event) => {
				if (event.type !== 'friendly-prompt' && event.type !== 'port-lost') return false;
				clearTimeout(timer);
				resolve();
				return true;
			};
			waiters.add(waiter);
		});
	}

	return {
		canRead: true,
		get status() {
			return status;
		},
		get info() {
			return info;
		},
		get failure() {
			return failure;
		},
		describe() {
			if (!info) return currentPath;
			const machine = info.machine ? ` (${info.machine})` : '';
			return `${currentPath} · ${titleCase(info.implementation)} v${info.version} on ${info.platform}${machine}`;
		},
		subscribe(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		start() {
			return serial(async () => {
				setStatus('connecting', `opening ${path}`);
				try {
					await attach(path);
				} catch (error) {
					failure = await portErrorFor(error, path, existingPortPaths);
					setStatus('error', failure.message);
					return;
				}
				await takeOver(options.interrupt ?? false);
			});
		},
		read({ collect }) {
			return serial(() => snapshot(collect));
		},
		interrupt() {
			return serial(async () => {
				if (status !== 'busy' || !port) return;
				setStatus('connecting', 'interrupting the running program');
				await takeOver(true);
			});
		},
		probeLargestBlock() {
			return serial(async () => {
				if (status !== 'live') return undefined;
				const free = await exec(freeCode);
				const match = free?.complete ? /^(\d+)\s*$/.exec(latin1Text(free.stdout)) : null;
				if (!match) {
					emit({ type: 'problem', message: 'the largest-block probe could not read gc.mem_free()' });
					return undefined;
				}
				// Bisection on the host, one allocation per command: about 18 round trips for a 200 KiB heap.
				let low = 0;
				let high = Number(match[1]);
				while (low < high) {
					const middle = Math.floor((low + high + 1) / 2);
					const trial = await exec(probeTrialCode(middle));
					if (!trial?.complete) return undefined;
					if (trial.exception.length === 0) low = middle;
					else if (memoryErrorIn(trial)) high = middle - 1;
					else return undefined;
				}
				return low;
			});
		},
		execute(code) {
			return serial(async () => (status === 'live' ? exec(code) : undefined));
		},
		softReset() {
			return serial(async () => {
				if (status !== 'live' || !port || client.phase !== 'raw-idle') return false;
				resetting = true;
				try {
					const back = waitFor(['raw-repl', 'enter-failed']);
					apply(client.softReset(clock()));
					const event = await back;
					if (event?.type === 'raw-repl') return true;
					if (event) setStatus('error', `${currentPath} did not come back to the raw REPL after the soft reset`);
					return false;
				} finally {
					resetting = false;
				}
			});
		},
		leaveSync() {
			const fd = (port?.port as { fd?: number } | undefined)?.fd;
			if (leftSync || fd === undefined || client.phase === 'friendly' || client.phase === 'unknown') return;
			leftSync = true;
			try {
				// `\r` then Ctrl-B: leave the raw REPL. A command of ours still running (a user's statement under
				// `profile`) is stopped first with Ctrl-C; at the idle raw prompt Ctrl-C only clears the line.
				writeSync(fd, asciiBytes(isCommandPhase(client.phase) ? '\r\x03\x02' : '\r\x02'));
			} catch {
				// The port is already gone.
			}
		},
		async close() {
			if (closing) return;
			closing = true;
			if (reconnectTimer) clearTimeout(reconnectTimer);
			if (presenceTimer) clearInterval(presenceTimer);
			await queue.catch(() => undefined);
			const open = port;
			if (open?.isOpen) {
				// A busy board's program holds the console: the Ctrl-B waits in its input, and no prompt will come.
				const promptExpected = status !== 'busy';
				const left = promptExpected ? waitForFriendly() : Promise.resolve();
				apply(client.leave(clock()));
				await left;
				await new Promise<void>((resolve) => open.drain(() => resolve()));
				await new Promise<void>((resolve) => open.close(() => resolve()));
			}
			if (tickTimer) clearTimeout(tickTimer);
			port = undefined;
			notify({ type: 'port-lost' });
		},
	};
}
