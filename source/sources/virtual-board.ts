import type { Worker } from 'node:worker_threads';
import { asciiBytes } from '../protocol/bytes.js';
import { createInputRing, inputRingWriter } from './input-ring.js';
import { type InterruptNudge, nudgeInterrupt } from './micropython-vm.js';
import { startModuleWorker } from './start-worker.js';
import { createPtyWire, pathExists } from './virtual-board-pty.js';
import { createTcpWire } from './virtual-board-tcp.js';
import { createWebreplWire } from './virtual-board-webrepl.js';
import type { BoardWire, VirtualBoardEndpoint } from './virtual-board-wire.js';
import { WireError } from './virtual-board-wire.js';
import type { WorkerInput, WorkerOutput, WorkerSetup } from './virtual-board-worker.js';
import type { BoardFlavour } from './virtual-console.js';

export type { VirtualBoardEndpoint } from './virtual-board-wire.js';

/**
 * The virtual board: the real MicroPython VM (WebAssembly) behind a pseudo-terminal, so that any serial tool
 * (heaptop, mpremote, picocom) can open it like a USB board, or on a TCP port (raw or RFC 2217) or as a
 * WebREPL, as network tools reach boards. The VM runs in a worker thread; this thread moves bytes between it
 * and the wire (`virtual-board-wire.ts`) and injects the faults tests need.
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
	/** Where the pty's symlink goes, e.g. `/tmp/heaptop-board`; or give `endpoint`. */
	ptyPath?: string;
	/** Where to serve the board; default a pty at `ptyPath`. */
	endpoint?: VirtualBoardEndpoint;
	/** With an RFC 2217 endpoint: acknowledge DTR/RTS changes (default), or stay silent as ser2net on a pty. */
	acknowledgeControl?: boolean;
	/** GC heap in bytes. Default 192 KiB, a mid-size board. */
	heapBytes?: number;
	/** Offer raw-paste (firmware ≥ v1.14). Default true. */
	rawPaste?: boolean;
	/** Which firmware to play (`virtual-console.ts`). Default `micropython`. */
	flavour?: BoardFlavour;
	/**
	 * Let the GC heap grow in new areas, as esp32 and CircuitPython 9 do, with this much room always said to be
	 * left (`max new split`, and the extra in `gc.mem_free()`). Default: a fixed heap, except CircuitPython's,
	 * which grows with 128 KiB of room.
	 */
	growRoomBytes?: number;
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
	/** What clients open: the pty's path, or a `socket://`, `rfc2217://` or `ws://` URL with the port bound. */
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
	/**
	 * Settles with why, if the VM stops after the board started (a trap it cannot come back from): the board can
	 * answer nothing more, and whoever serves it should say so and stop it. Never settles otherwise.
	 */
	readonly stopped: Promise<string>;
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

/** Starts a virtual board; resolves once the pty exists and the VM printed its banner. */
export async function startVirtualBoard(options: VirtualBoardOptions): Promise<VirtualBoard> {
	const { heapBytes = 192 * 1024, rawPaste = true, mainProgram, flavour = 'micropython' } = options;
	const growRoomBytes = options.growRoomBytes ?? (flavour === 'circuitpython' ? 128 * 1024 : 0);
	const faults: VirtualBoardFaults = { ...options.faults };
	const endpoint: VirtualBoardEndpoint | undefined =
		options.endpoint ?? (options.ptyPath === undefined ? undefined : { kind: 'pty', path: options.ptyPath });
	if (!endpoint) throw new VirtualBoardError('a virtual board needs a pty path or a network endpoint');
	if (endpoint.kind === 'pty' && (await pathExists(endpoint.path))) {
		throw new VirtualBoardError(`${endpoint.path} already exists: another virtual board, or a file; pick another path`);
	}

	const interruptFlag = new Int32Array(new SharedArrayBuffer(4));
	const interruptCount = new Int32Array(new SharedArrayBuffer(4));
	const inputRing = createInputRing();
	const ringWriter = inputRingWriter(inputRing);
	const setup: WorkerSetup = {
		heapBytes,
		rawPaste,
		flavour,
		growRoomBytes,
		interruptFlag,
		interruptCount,
		inputRing,
	};
	if (mainProgram !== undefined) setup.mainProgram = mainProgram;
	const worker = startWorker(setup);

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
	// Set once the VM has loaded: how a Ctrl-C reaches a loop that calls nothing (`while True: pass`).
	let interruptNudge: InterruptNudge | undefined;

	function toWire(bytes: Uint8Array): void {
		wire.send(bytes);
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

	// Input waiting for room in the ring (a VM busy with a long run while a client sends a lot), in order.
	const waitingInput: { bytes: Uint8Array; epoch: number; ctrlC: boolean }[] = [];
	let ringTimer: NodeJS.Timeout | undefined;
	function drainToRing(): void {
		ringTimer = undefined;
		while (waitingInput.length > 0 && !closed) {
			const next = waitingInput[0];
			if (!next) break;
			const start = ringWriter.write(next.bytes);
			if (start === undefined) {
				ringTimer = setTimeout(drainToRing, 5);
				return;
			}
			waitingInput.shift();
			const message: WorkerInput = {
				type: 'input',
				start,
				length: next.bytes.length,
				epoch: next.epoch,
				ctrlC: next.ctrlC,
			};
			worker.postMessage(message);
		}
	}

	function fromWire(chunk: Uint8Array): void {
		receivedBytes += chunk.length;
		if (lineDead()) return;
		let start = 0;
		const send = (bytes: Uint8Array, ctrlC: boolean) => {
			if (bytes.length === 0) return;
			waitingInput.push({ bytes, epoch: Atomics.load(interruptCount, 0), ctrlC });
			if (ringTimer === undefined) drainToRing();
		};
		for (let index = 0; index < chunk.length; index++) {
			if (chunk[index] !== CTRL_C) continue;
			send(new Uint8Array(chunk.subarray(start, index)), false);
			// Raise the flag before counting, so the worker never sees the count move with the flag down.
			Atomics.store(interruptFlag, 0, 1);
			Atomics.add(interruptCount, 0, 1);
			if (interruptNudge) nudgeInterrupt(interruptNudge);
			send(new Uint8Array([CTRL_C]), true);
			start = index + 1;
		}
		send(new Uint8Array(chunk.subarray(start)), false);
	}

	const wire: BoardWire =
		endpoint.kind === 'pty'
			? createPtyWire(endpoint.path, fromWire, options.socatPath)
			: endpoint.kind === 'webrepl'
				? createWebreplWire(endpoint, fromWire)
				: createTcpWire(endpoint, fromWire, {
						...(options.acknowledgeControl === undefined ? {} : { acknowledgeControl: options.acknowledgeControl }),
					});
	let plugged = false;
	const plug = async () => {
		if (plugged) return;
		await wire.plug();
		plugged = true;
	};
	const unplugNow = async () => {
		plugged = false;
		await wire.unplug();
	};

	let stop: (why: string) => void = () => undefined;
	const stopped = new Promise<string>((resolve) => {
		stop = resolve;
	});
	let started = false;
	const ready = new Promise<string>((resolve, reject) => {
		// Before the board is up a failure is its start's; after, it is the board stopping.
		const failed = (why: string) => {
			if (started) stop(`the MicroPython VM stopped: ${why}`);
			else reject(new VirtualBoardError(`the MicroPython VM failed: ${why}`));
		};
		worker.on('message', (message: WorkerOutput) => {
			if (message.type === 'ready') {
				interruptNudge = message.interruptNudge;
				started = true;
				resolve(message.version);
			} else if (message.type === 'output') fromVm(message.bytes);
			else failed(message.message);
		});
		worker.on('error', (error) => failed(error.message));
		worker.once('exit', (code) => {
			if (!closed) failed(`its thread ended (exit code ${code})`);
		});
	});

	let version: string;
	try {
		version = await ready;
		await plug();
	} catch (error) {
		await worker.terminate();
		await unplugNow().catch(() => undefined);
		if (error instanceof WireError) throw new VirtualBoardError(error.message);
		throw error;
	}

	return {
		get path() {
			return wire.address;
		},
		version,
		stopped,
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
			if (closed) return;
			await plug();
		},
		async close() {
			if (closed) return;
			closed = true;
			if (paceTimer) clearTimeout(paceTimer);
			if (ringTimer) clearTimeout(ringTimer);
			await unplugNow().catch(() => undefined);
			// A busy VM never reads its messages: terminate rather than ask.
			await worker.terminate();
		},
	};
}
