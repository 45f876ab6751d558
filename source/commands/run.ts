import type { Worker } from 'node:worker_threads';
import type { HeapSnapshot } from '../heap/model.js';
import { parseAllMemInfo, parseMemInfo } from '../heap/parse.js';
import { createSanitizer } from '../protocol/sanitize.js';
import { picoHeapBytes } from '../sources/heap-size.js';
import {
	createInterruptFlag,
	garbageLimitNote,
	type InterruptNudge,
	type PythonException,
	raiseInterrupt,
} from '../sources/micropython-vm.js';
import { startModuleWorker } from '../sources/start-worker.js';
import { RuntimeFailure } from './errors.js';
import type { RunWorkerMessage, RunWorkerSetup } from './run-worker.js';

/**
 * `heaptop run SCRIPT.py [--heap 192k] [--timeout S]`: the user's script on the emulated board, in a worker
 * thread so that a script that never ends can be stopped. The result says how it ended, with the heap at that
 * moment, for `--once`/`--json` printing or the TUI.
 */

/** What `runScript` needs. */
export type RunOptions = {
	/** The script's text. */
	code: string;
	/** Shown in tracebacks instead of the VM's `<stdin>`; usually the path as the user typed it. */
	scriptName?: string;
	/** Default: the Pico's heap. */
	heapBytes?: number;
	growable?: boolean;
	/** Stop the script with KeyboardInterrupt after this long; none by default. */
	timeoutMs?: number;
	/** Aborting (Ctrl-C) stops the script with KeyboardInterrupt. */
	signal?: AbortSignal;
	/** Output as the script prints it, control and escape sequences removed. */
	onOutput?: (text: string, stream: 'stdout' | 'stderr') => void;
	/** How long a stopped script gets to unwind before its thread is killed. */
	graceMs?: number;
};

/** How the script ended. */
export type RunOutcome =
	| { kind: 'finished' }
	/** Uncaught exception, MemoryError included; `KeyboardInterrupt` when stopped by `stoppedBy`. */
	| { kind: 'raised'; exception: PythonException }
	/** It did not unwind after the interrupt (it caught KeyboardInterrupt and went on); its thread was killed, with its heap. */
	| { kind: 'killed' };

/** The result of `runScript`. */
export type RunResult = {
	outcome: RunOutcome;
	/** Set when the timeout or Ctrl-C stopped the script. */
	stoppedBy?: 'timeout' | 'interrupt';
	/** 0 when it finished (or called `sys.exit(0)`), 1 otherwise. */
	exitCode: 0 | 1;
	/** The heap when the script ended or its exception reached the top; absent when killed. */
	snapshot?: HeapSnapshot;
	/** Dumps the script printed itself with `micropython.mem_info(1)`, in order. */
	printedSnapshots: HeapSnapshot[];
	/**
	 * With a MemoryError: this VM collects garbage only between runs, never while a script runs, so a script
	 * that makes garbage in a loop can fill a heap that a board's automatic collect would have kept clear. One
	 * line, for the user, so that the emulator's limit is not taken for the script's fault.
	 */
	note?: string;
	version?: string;
};

function startWorker(setup: RunWorkerSetup): Worker {
	return startModuleWorker(import.meta.url, 'run-worker', setup);
}

/** `SystemExit: 3` → 3; a bare `SystemExit` or `SystemExit: None` → 0. */
function exitStatus(exception: PythonException): number {
	const match = /SystemExit(?::\s*(.*))?\s*$/.exec(exception.traceback.trimEnd());
	const value = match?.[1]?.trim();
	if (value === undefined || value === '' || value === 'None') return 0;
	return /^\d+$/.test(value) ? Number(value) : 1;
}

/**
 * Runs a script on a fresh emulated board and resolves once it has ended, been stopped, or been killed.
 * Fails with `RuntimeFailure` only when the VM itself could not run.
 */
export function runScript(options: RunOptions): Promise<RunResult> {
	const interruptFlag = createInterruptFlag();
	const worker = startWorker({
		code: options.code,
		heapBytes: options.heapBytes ?? picoHeapBytes,
		growable: options.growable ?? false,
		interruptFlag,
	});
	const sanitizers = { stdout: createSanitizer(), stderr: createSanitizer() };
	let stdout = '';
	let version: string | undefined;
	let nudge: InterruptNudge | undefined;
	let stoppedBy: RunResult['stoppedBy'];
	let killTimer: NodeJS.Timeout | undefined;
	let timeoutTimer: NodeJS.Timeout | undefined;
	const graceMs = options.graceMs ?? 1000;

	return new Promise<RunResult>((resolve, reject) => {
		let settled = false;
		const finish = (result: RunResult | Error): void => {
			if (settled) return;
			settled = true;
			clearTimeout(killTimer);
			clearTimeout(timeoutTimer);
			options.signal?.removeEventListener('abort', onAbort);
			void worker.terminate();
			if (result instanceof Error) reject(result);
			else resolve(result);
		};
		const stop = (reason: 'timeout' | 'interrupt'): void => {
			if (stoppedBy) return;
			stoppedBy = reason;
			raiseInterrupt(interruptFlag, nudge);
			// A script that does not unwind (it catches KeyboardInterrupt and carries on, or the VM never got to
			// look: a stop before it had loaded): after the grace period, the thread is killed.
			killTimer = setTimeout(() => {
				finish({
					outcome: { kind: 'killed' },
					stoppedBy,
					exitCode: 1,
					printedSnapshots: parseAllMemInfo(stdout),
					version,
				});
			}, graceMs);
		};
		const onAbort = (): void => stop('interrupt');
		if (options.signal?.aborted) stop('interrupt');
		options.signal?.addEventListener('abort', onAbort);
		if (options.timeoutMs !== undefined) timeoutTimer = setTimeout(() => stop('timeout'), options.timeoutMs);

		const rename = (text: string): string =>
			options.scriptName === undefined ? text : text.replaceAll('File "<stdin>"', `File "${options.scriptName}"`);

		worker.on('message', (message: RunWorkerMessage) => {
			if (message.type === 'loaded') {
				version = message.version;
				nudge = message.interruptNudge;
				// A stop asked for while the VM loaded: the flag is up, but a loop that calls nothing needs the nudge.
				if (stoppedBy && nudge) raiseInterrupt(interruptFlag, nudge);
			} else if (message.type === 'output') {
				const text = sanitizers[message.stream].push(message.bytes);
				if (message.stream === 'stdout') stdout += text;
				if (text !== '') options.onOutput?.(text, message.stream);
			} else if (message.type === 'failed') {
				finish(new RuntimeFailure(`the emulated board could not run the script: ${message.message}`));
			} else {
				const parsed = parseMemInfo(message.memInfo);
				const snapshot = parsed.ok ? parsed.snapshot : undefined;
				const printedSnapshots = parseAllMemInfo(stdout);
				const { result } = message;
				if (result.ok) {
					finish({ outcome: { kind: 'finished' }, exitCode: 0, snapshot, printedSnapshots, version });
					return;
				}
				const exception = { type: result.exception.type, traceback: rename(result.exception.traceback) };
				if (exception.type === 'SystemExit') {
					const status = exitStatus(exception);
					finish({
						outcome: { kind: 'finished' },
						exitCode: status === 0 ? 0 : 1,
						snapshot,
						printedSnapshots,
						version,
					});
					return;
				}
				const note = garbageLimitNote(exception);
				finish({
					outcome: { kind: 'raised', exception },
					...(stoppedBy ? { stoppedBy } : {}),
					exitCode: 1,
					snapshot,
					printedSnapshots,
					...(note ? { note } : {}),
					version,
				});
			}
		});
		worker.on('error', (error) => finish(new RuntimeFailure(`the emulated board stopped: ${error.message}`)));
		worker.on('exit', () => {
			if (!settled) finish(new RuntimeFailure('the emulated board stopped before the script ended'));
		});
	});
}
