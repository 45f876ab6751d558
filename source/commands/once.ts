import type { Writable } from 'node:stream';
import { snapshotToJson } from '../output/json.js';
import { jsonText } from '../output/json-text.js';
import { fitExitCode, formatSnapshots } from '../output/print.js';
import { sanitizeText } from '../protocol/sanitize.js';
import type { BoardIdentity, HeapSource, Reading } from '../sources/source.js';
import { startFailureLine } from './board-session.js';
import { RuntimeFailure } from './errors.js';

/** Starts the source, or fails with the one line for its problem. */
async function startOrFail(source: HeapSource): Promise<void> {
	const outcome = await source.start();
	if (!outcome.ok) throw new RuntimeFailure(startFailureLine(outcome.problem));
}

/** Takes a reading, or fails with the problem the source named. */
async function readOrFail(source: HeapSource, collect: boolean): Promise<Reading> {
	const outcome = await source.read({ collect });
	if (!outcome.ok) throw new RuntimeFailure(startFailureLine(outcome.problem));
	return outcome.reading;
}

/** The readings a passive source (`--listen`) emits, queued from before it starts, so that none is missed. */
type ReadingWaiter = {
	/**
	 * The next reading; undefined when `signal` aborts first. Fails in one line when `waitMs` passes without one
	 * (none given: waits as long as it takes, as a program may dump once a minute).
	 */
	next(waitMs: number | undefined, signal?: AbortSignal): Promise<Reading | undefined>;
	stop(): void;
};

function waitForReadings(source: HeapSource): ReadingWaiter {
	const queue: Reading[] = [];
	let wake: (() => void) | undefined;
	const unsubscribe = source.subscribe((event) => {
		if (event.type !== 'reading') return;
		queue.push(event.reading);
		wake?.();
	});
	return {
		async next(waitMs, signal) {
			let timer: NodeJS.Timeout | undefined;
			let timedOut = false;
			const onAbort = () => wake?.();
			signal?.addEventListener('abort', onAbort);
			try {
				while (queue.length === 0 && !signal?.aborted && !timedOut) {
					await new Promise<void>((resolve) => {
						wake = resolve;
						if (waitMs !== undefined && timer === undefined) {
							timer = setTimeout(() => {
								timedOut = true;
								resolve();
							}, waitMs);
						}
					});
				}
			} finally {
				wake = undefined;
				clearTimeout(timer);
				signal?.removeEventListener('abort', onAbort);
			}
			const reading = queue.shift();
			if (reading || signal?.aborted) return reading;
			const seconds = Math.round((waitMs ?? 0) / 100) / 10;
			throw new RuntimeFailure(
				`no heap dump from ${source.describe()} within ${seconds} s (--timeout): the program prints them with micropython.mem_info(1), see heaptop listen --snippet`,
			);
		},
		stop: unsubscribe,
	};
}

/**
 * The JSON object with `board` first: what the heap belongs to (CircuitPython, MicroPython or the emulator, and
 * the link), its strings as the board sent them but sanitised, since a board names itself.
 */
function withBoard(printed: string, identity: BoardIdentity | undefined): string {
	const board = boardJson(identity);
	if (!board) return printed;
	const { board: _previous, ...rest } = JSON.parse(printed) as Record<string, unknown>;
	return `${jsonText({ board, ...rest }, 2)}\n`;
}

/** The `board` object of the JSON output, its strings sanitised; undefined when the source cannot say. */
function boardJson(identity: BoardIdentity | undefined): Record<string, unknown> | undefined {
	if (!identity) return undefined;
	return Object.fromEntries(
		Object.entries(identity).map(([key, value]) => [key, typeof value === 'string' ? sanitizeText(value) : value]),
	);
}

/**
 * `--once`: one reading, printed as `inspect` prints it, then the source is closed; `--fit` sets the exit
 * status. A passive source gives the next dump the program prints, waiting up to `waitMs` (`--timeout`) for it.
 */
export async function onceCommand(
	source: HeapSource,
	options: {
		json: boolean;
		color: boolean;
		collect: boolean;
		fitBytes?: number;
		stdout: Writable;
		waitMs?: number;
		/** `--record`: called with the reading printed, once it is written. */
		record?: (reading: Reading) => void;
	},
): Promise<number> {
	const print = {
		json: options.json,
		all: false,
		color: options.color,
		...(options.fitBytes === undefined ? {} : { fitBytes: options.fitBytes }),
	};
	const waiter = source.canRead ? undefined : waitForReadings(source);
	let closing: Promise<void> | undefined;
	try {
		await startOrFail(source);
		if (waiter) {
			const reading = await waiter.next(options.waitMs);
			if (!reading) return 0;
			options.stdout.write(formatSnapshots([reading.snapshot], print));
			options.record?.(reading);
			return fitExitCode([reading.snapshot], print);
		}
		let caption = '';
		if (source.scenario) {
			// One snapshot of a demo is the scenario's outcome: run it to its last step first.
			for (let step = source.scenario.current().step; step < source.scenario.current().steps; step++) {
				await source.scenario.next();
			}
			const last = source.scenario.current();
			caption = `scenario ${last.scenario}, step ${last.step} of ${last.steps}: ${last.caption}\n\n`;
		}
		const reading = await readOrFail(source, options.collect);
		// The board is done with: it leaves the raw REPL (Ctrl-B, and the wait for its prompt) while the output is
		// made, rather than after. A turn of the event loop lets the Ctrl-B go out before the work starts.
		// What the source is, asked before it closes (the emulator's goes with its VM).
		const identity = source.identity?.();
		closing = source.close();
		await new Promise((resolve) => setImmediate(resolve));
		const printed = formatSnapshots([reading.snapshot], print);
		options.stdout.write(options.json ? withBoard(printed, identity) : `${caption}${printed}`);
		options.record?.(reading);
		return fitExitCode([reading.snapshot], print);
	} finally {
		waiter?.stop();
		await (closing ?? source.close());
	}
}

/**
 * `--json --interval`: one JSON object per line (the `inspect --json` schema plus `atMs` and
 * `afterCollect`) every `intervalMs` (a demo runs its next step before each line after the first), until `count` lines or `signal` aborts. A line is always written
 * whole, so `jq` never sees half an object.
 */
export async function streamJsonCommand(
	source: HeapSource,
	options: {
		intervalMs: number;
		count?: number;
		collect: boolean;
		/** `--fit SIZE`: each line carries `fit`. */
		fitBytes?: number;
		stdout: Writable;
		signal: AbortSignal;
		sleep: (ms: number, signal: AbortSignal) => Promise<void>;
		/** A passive source: the longest wait for each dump (`--timeout`); none by default. */
		waitMs?: number;
		/** `--record`: called with each line's reading once the line is written, so a recording holds the lines. */
		record?: (reading: Reading) => void;
	},
): Promise<number> {
	if (!source.canRead) return streamPassive(source, options);
	// A demo reads its heap at the end of each step: that reading is the line, not a second read of the same heap.
	let stepReading: Reading | undefined;
	const unsubscribe = source.subscribe((event) => {
		if (event.type === 'reading') stepReading = event.reading;
	});
	try {
		await startOrFail(source);
		for (let written = 0; options.count === undefined || written < options.count; written++) {
			if (written > 0) await options.sleep(options.intervalMs, options.signal);
			if (options.signal.aborted) break;
			// A demo's story moves on one step per line; a board's heap moves on by itself.
			if (written > 0 && source.scenario) {
				stepReading = undefined;
				await source.scenario.next();
			}
			const reading =
				source.scenario && stepReading && !options.collect ? stepReading : await readOrFail(source, options.collect);
			options.stdout.write(jsonLine(reading, options.fitBytes, source.identity?.()));
			options.record?.(reading);
		}
		return 0;
	} finally {
		unsubscribe();
		await source.close();
	}
}

/**
 * One line of a JSON stream: the reading's time and whether a collect came first, the board as `--once --json`
 * names it (a script reading the stream needs to know as much), then its snapshot.
 */
function jsonLine(reading: Reading, fitBytes: number | undefined, identity?: BoardIdentity): string {
	const json = snapshotToJson(reading.snapshot, fitBytes === undefined ? {} : { fitBytes });
	const board = boardJson(identity);
	return `${jsonText({ atMs: reading.atMs, afterCollect: reading.afterCollect, ...(board ? { board } : {}), ...json })}\n`;
}

/** The JSON stream of a passive source (`--listen --json`): a line for each dump the program prints, as it comes. */
async function streamPassive(
	source: HeapSource,
	options: {
		count?: number;
		fitBytes?: number;
		stdout: Writable;
		signal: AbortSignal;
		waitMs?: number;
		record?: (reading: Reading) => void;
	},
): Promise<number> {
	const waiter = waitForReadings(source);
	try {
		await startOrFail(source);
		for (let written = 0; options.count === undefined || written < options.count; written++) {
			const reading = await waiter.next(options.waitMs, options.signal);
			if (!reading) break;
			options.stdout.write(jsonLine(reading, options.fitBytes, source.identity?.()));
			options.record?.(reading);
		}
		return 0;
	} finally {
		waiter.stop();
		await source.close();
	}
}
