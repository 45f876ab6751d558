import { type ChildProcess, spawn } from 'node:child_process';
import { lstat } from 'node:fs/promises';
import type { Worker } from 'node:worker_threads';
import { asciiBytes } from '../protocol/bytes.js';
import { startModuleWorker } from './start-worker.js';
import type { WorkerInput, WorkerOutput, WorkerSetup } from './virtual-board-worker.js';

/**
 * The virtual board: the real MicroPython VM (WebAssembly) behind a pseudo-terminal, so that any serial tool
 * (heaptop, mpremote, picocom) can open it like a USB board. Node has no pty API; `socat` makes the pty and
 * relays it to this process over pipes (`PTY,link=PATH,raw,echo=0` ↔ `STDIO`). The VM runs in a worker thread;
 * this thread moves bytes and injects the faults tests need.
 */

/** Faults for tests, all off by default. */
export type VirtualBoardFaults = {
	/** Pace output as a UART at this rate (10 bits a byte), e.g. 115200. */
	paceBaud?: number;
	/** After this many output bytes, the line goes dead (both ways) for `cutForMs`: a cable that stalls. */
	cutAfterBytes?: number;
	/** How long the cut lasts. Default 1000. */
	cutForMs?: number;
	/** Insert `garbage` once, after this many output bytes. */
	garbageAtBytes?: number;
	/** What to insert. Default: line noise with a NUL, 0xFF, an escape sequence and a stray 0x04. */
	garbage?: Uint8Array;
};

/** How to start a virtual board. */
export type VirtualBoardOptions = {
	/** Where the pty's symlink goes, e.g. `/tmp/heaptop-board`. */
	ptyPath: string;
	/** GC heap in bytes. Default 192 KiB, a mid-size board. */
	heapBytes?: number;
	/** Offer raw-paste (firmware ≥ v1.14). Default true. */
	rawPaste?: boolean;
	/**
	 * Python run before the REPL starts, like a board's main.py. A loop that never ends makes a busy board:
	 * it prints, ignores input, and stops on Ctrl-C with a KeyboardInterrupt traceback.
	 */
	mainProgram?: string;
	faults?: VirtualBoardFaults;
	/** The socat binary. Default `socat` on PATH. */
	socatPath?: string;
};

/** A running virtual board. */
export type VirtualBoard = {
	/** The pty symlink clients open. */
	readonly path: string;
	/** `sys.version` of the VM. */
	readonly version: string;
	/** Output bytes sent so far (after faults). */
	readonly outputBytes: number;
	/** Bytes received from clients so far. */
	readonly inputBytes: number;
	/** Arms faults now: byte counts in `faults` count from the current output on. */
	arm(faults: Pick<VirtualBoardFaults, 'cutAfterBytes' | 'cutForMs' | 'garbageAtBytes' | 'garbage'>): void;
	/** Makes the port vanish, as when the cable is pulled: the pty closes and the path disappears. */
	unplug(): Promise<void>;
	/** Brings the port back at the same path; the VM (and its heap) carries on. */
	replug(): Promise<void>;
	/** Stops everything. Safe to call twice. */
	close(): Promise<void>;
};

/** Why the virtual board could not start, in one line. */
export class VirtualBoardError extends Error {
	override name = 'VirtualBoardError';
}

/** A Python loop that keeps a board busy: prints a line every `intervalMs` until Ctrl-C. */
export function busyProgram(intervalMs = 200): string {
	return `import time\nn = 0\nwhile True:\n    n += 1\n    print('working', n)\n    time.sleep_ms(${intervalMs})\n`;
}

const defaultGarbage = asciiBytes('\x00\xff\xfe~noise~\x1b[31m\x04\r\n');
const CTRL_C = 0x03;

function startWorker(setup: WorkerSetup): Worker {
	return startModuleWorker(import.meta.url, 'virtual-board-worker', setup);
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	// Polls a file system fact: there is no event for "socat made its symlink".
	for (;;) {
		if (await check()) return;
		if (Date.now() > deadline) throw new VirtualBoardError(what);
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}

async function exists(path: string): Promise<boolean> {
	try {
		await lstat(path);
		return true;
	} catch {
		return false;
	}
}

/** Starts a virtual board; resolves once the pty exists and the VM printed its banner. */
export async function startVirtualBoard(options: VirtualBoardOptions): Promise<VirtualBoard> {
	const { ptyPath, heapBytes = 192 * 1024, rawPaste = true, mainProgram } = options;
	const faults: VirtualBoardFaults = { ...options.faults };
	const socatPath = options.socatPath ?? 'socat';
	if (await exists(ptyPath)) {
		throw new VirtualBoardError(`${ptyPath} already exists: another virtual board, or a file; pick another path`);
	}

	const interruptFlag = new Int32Array(new SharedArrayBuffer(4));
	const interruptCount = new Int32Array(new SharedArrayBuffer(4));
	const setup: WorkerSetup = { heapBytes, rawPaste, interruptFlag, interruptCount };
	if (mainProgram !== undefined) setup.mainProgram = mainProgram;
	const worker = startWorker(setup);

	let socat: ChildProcess | undefined;
	let closed = false;
	let sentBytes = 0;
	let receivedBytes = 0;
	let garbageDone = faults.garbageAtBytes === undefined;
	let cutDone = faults.cutAfterBytes === undefined;
	let cutUntilMs = 0;
	const paced: number[] = [];
	let paceTimer: NodeJS.Timeout | undefined;
	let paceStartMs = 0;
	let pacedSent = 0;

	const lineDead = () => Date.now() < cutUntilMs;

	function toWire(bytes: Uint8Array): void {
		if (!socat?.stdin || socat.stdin.destroyed) return;
		socat.stdin.write(bytes);
	}

	function countAndSend(bytes: Uint8Array): void {
		for (let index = 0; index < bytes.length; index++) {
			if (!garbageDone && sentBytes >= (faults.garbageAtBytes ?? 0)) {
				garbageDone = true;
				toWire(faults.garbage ?? defaultGarbage);
			}
			if (!cutDone && sentBytes >= (faults.cutAfterBytes ?? 0)) {
				cutDone = true;
				cutUntilMs = Date.now() + (faults.cutForMs ?? 1000);
			}
			sentBytes++;
			if (lineDead()) continue;
			toWire(bytes.subarray(index, index + 1));
		}
	}

	function pump(): void {
		paceTimer = undefined;
		const baud = faults.paceBaud ?? 0;
		const allowed = Math.floor(((Date.now() - paceStartMs) * baud) / 10_000) - pacedSent;
		if (allowed > 0) {
			const chunk = paced.splice(0, allowed);
			pacedSent += chunk.length;
			countAndSend(new Uint8Array(chunk));
		}
		if (paced.length > 0) paceTimer = setTimeout(pump, 2);
	}

	function fromVm(bytes: Uint8Array): void {
		if (!faults.paceBaud) {
			if (faults.garbageAtBytes === undefined && faults.cutAfterBytes === undefined) {
				sentBytes += bytes.length;
				toWire(bytes);
			} else {
				countAndSend(bytes);
			}
			return;
		}
		if (paced.length === 0 && paceTimer === undefined) {
			paceStartMs = Date.now();
			pacedSent = 0;
		}
		for (const byte of bytes) paced.push(byte);
		paceTimer ??= setTimeout(pump, 0);
	}

	function fromWire(chunk: Buffer): void {
		receivedBytes += chunk.length;
		if (lineDead()) return;
		let start = 0;
		const send = (bytes: Uint8Array, ctrlC: boolean) => {
			if (bytes.length === 0) return;
			const message: WorkerInput = { type: 'input', bytes, epoch: Atomics.load(interruptCount, 0), ctrlC };
			worker.postMessage(message);
		};
		for (let index = 0; index < chunk.length; index++) {
			if (chunk[index] !== CTRL_C) continue;
			send(new Uint8Array(chunk.subarray(start, index)), false);
			// Raise the flag before counting, so the worker never sees the count move with the flag down.
			Atomics.store(interruptFlag, 0, 1);
			Atomics.add(interruptCount, 0, 1);
			send(new Uint8Array([CTRL_C]), true);
			start = index + 1;
		}
		send(new Uint8Array(chunk.subarray(start)), false);
	}

	async function plug(): Promise<void> {
		const child = spawn(socatPath, [`PTY,link=${ptyPath},raw,echo=0`, 'STDIO'], {
			stdio: ['pipe', 'pipe', 'pipe'],
		});
		socat = child;
		let stderr = '';
		child.stderr?.on('data', (data: Buffer) => {
			stderr += data.toString();
		});
		child.stdout?.on('data', fromWire);
		child.stdin?.on('error', () => undefined);
		const failed = new Promise<never>((_resolve, reject) => {
			child.once('error', (error) => {
				const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
				reject(
					new VirtualBoardError(
						missing ? 'socat is not installed: apt-get install socat' : `socat failed: ${error.message}`,
					),
				);
			});
			child.once('exit', (code) => reject(new VirtualBoardError(`socat exited (${code}): ${stderr.trim()}`)));
		});
		failed.catch(() => undefined);
		await Promise.race([waitFor(() => exists(ptyPath), 5000, `socat made no pty at ${ptyPath}`), failed]);
	}

	async function unplugNow(): Promise<void> {
		const child = socat;
		socat = undefined;
		if (!child || child.exitCode !== null) return;
		const exited = new Promise((resolve) => child.once('exit', resolve));
		child.kill('SIGTERM');
		await exited;
		// socat removes its symlink on exit; make sure, so the path really vanishes.
		await waitFor(async () => !(await exists(ptyPath)), 2000, `${ptyPath} did not go away`);
	}

	const ready = new Promise<string>((resolve, reject) => {
		worker.on('message', (message: WorkerOutput) => {
			if (message.type === 'ready') resolve(message.version);
			else if (message.type === 'output') fromVm(message.bytes);
			else reject(new VirtualBoardError(`the MicroPython VM failed: ${message.message}`));
		});
		worker.once('error', (error) => reject(new VirtualBoardError(`the MicroPython VM failed: ${error.message}`)));
	});

	let version: string;
	try {
		version = await ready;
		await plug();
	} catch (error) {
		await worker.terminate();
		await unplugNow().catch(() => undefined);
		throw error;
	}

	return {
		path: ptyPath,
		version,
		get outputBytes() {
			return sentBytes;
		},
		get inputBytes() {
			return receivedBytes;
		},
		arm(next) {
			if (next.cutAfterBytes !== undefined) {
				faults.cutAfterBytes = sentBytes + next.cutAfterBytes;
				faults.cutForMs = next.cutForMs ?? faults.cutForMs;
				cutDone = false;
			}
			if (next.garbageAtBytes !== undefined) {
				faults.garbageAtBytes = sentBytes + next.garbageAtBytes;
				if (next.garbage) faults.garbage = next.garbage;
				garbageDone = false;
			}
		},
		async unplug() {
			await unplugNow();
		},
		async replug() {
			if (closed || socat) return;
			await plug();
		},
		async close() {
			if (closed) return;
			closed = true;
			if (paceTimer) clearTimeout(paceTimer);
			await unplugNow().catch(() => undefined);
			// A busy VM never reads its messages: terminate rather than ask.
			await worker.terminate();
		},
	};
}
