import { parentPort, workerData } from 'node:worker_threads';
import { inputRingReader, positionsApart } from './input-ring.js';
import { type InterruptNudge, loadVm } from './micropython-vm.js';
import { type BoardFlavour, createVirtualConsole } from './virtual-console.js';

/**
 * The thread the virtual board's VM runs in. Python runs synchronously and may run for ever (a busy board), so
 * it cannot share the thread that moves bytes between the pseudo-terminal and the VM. Ctrl-C reaches running
 * Python through the loader's shared interrupt flag, as a UART interrupt does on a board.
 */

/**
 * What the main thread sends: bytes it wrote to the input ring (`input-ring.ts`), from `start` on. Python that
 * reads stdin while it runs may have taken them already.
 */
export type WorkerInput = {
	type: 'input';
	start: number;
	length: number;
	/** Interrupt count when these bytes were sent; a lone Ctrl-C carries the count it raised. */
	epoch: number;
	ctrlC: boolean;
};

/** What the worker sends back. */
export type WorkerOutput =
	| { type: 'ready'; version: string; interruptNudge?: InterruptNudge }
	| { type: 'output'; bytes: Uint8Array }
	| { type: 'failed'; message: string };

/** Set up by `virtual-board.ts`. */
export type WorkerSetup = {
	heapBytes: number;
	rawPaste: boolean;
	flavour: BoardFlavour;
	/** A heap that grows in new areas, with this much room said to be left (0: fixed size). */
	growRoomBytes: number;
	mainProgram?: string;
	/** The loader's interrupt flag, raised by the main thread on Ctrl-C. */
	interruptFlag: Int32Array;
	/** How many Ctrl-C the main thread has seen. */
	interruptCount: Int32Array;
	/** The input ring's memory. */
	inputRing: SharedArrayBuffer;
};

const port = parentPort;
const setup = workerData as WorkerSetup;

// Output is batched: the VM prints a byte at a time, and one message per byte would cost more than the VM.
const flushBytes = 2048;
const flushIntervalMs = 15;
let pending: number[] = [];
let lastFlushMs = Date.now();

function flush(): void {
	if (pending.length === 0) return;
	const bytes = new Uint8Array(pending);
	pending = [];
	lastFlushMs = Date.now();
	port?.postMessage({ type: 'output', bytes } satisfies WorkerOutput, [bytes.buffer]);
}

// Set when a byte that can start code goes in: the next output (the echo of Enter, the raw REPL's `OK`) goes
// at once, since the code after it may run for long without printing and this thread cannot flush meanwhile.
let flushNext = false;

function collect(bytes: Uint8Array): void {
	for (const byte of bytes) pending.push(byte);
	if (flushNext || pending.length >= flushBytes || Date.now() - lastFlushMs >= flushIntervalMs) {
		flushNext = false;
		flush();
	}
}

/** Enter (friendly REPL) or Ctrl-D (raw REPL, paste mode): the bytes that can make the REPL run code. */
function startsCode(byte: number | undefined): boolean {
	return byte === 0x0d || byte === 0x0a || byte === 0x04;
}

/** The name the board's Python calls (through the `js` module) around a write to `sys.stdout.buffer`. */
const rawOutputHook = 'heaptopRawOutput';

async function main(): Promise<void> {
	const wire = port;
	if (!wire) return;
	const ring = inputRingReader(setup.inputRing);
	// The interrupt count when running Python last took a Ctrl-C: bytes sent before it are dropped, as TinyUSB
	// boards empty their input buffer on Ctrl-C (protocol.md §3.1), and that Ctrl-C is not a key press.
	let consumedEpoch = 0;
	// A board's `sys.stdout.buffer` writes bytes as they are, where print's text is cooked (`\n` as `\r\n`);
	// the port cannot tell them apart, so the console's shim says when a write is the buffer's.
	let rawOutput = false;
	(globalThis as Record<string, unknown>)[rawOutputHook] = (on: unknown) => {
		rawOutput = Boolean(on);
	};
	let consoleOutput: (bytes: Uint8Array) => void = collect;
	const vm = await loadVm({
		heapBytes: setup.heapBytes,
		...(setup.growRoomBytes > 0 ? { growable: true, maxNewSplitBytes: setup.growRoomBytes } : {}),
		interruptFlag: setup.interruptFlag,
		boardErrnos: true,
		onOutput: (bytes) => consoleOutput(bytes),
		stdin: {
			ring,
			beforeWait: flush,
			onInterrupt: () => {
				consumedEpoch = Atomics.load(setup.interruptCount, 0);
			},
		},
	});
	const board = createVirtualConsole(vm, collect, {
		rawPaste: setup.rawPaste,
		flavour: setup.flavour,
		rawOutputHook,
	});
	consoleOutput = (bytes) => board.vmOutput(bytes, rawOutput);

	port.postMessage({
		type: 'ready',
		version: vm.version,
		...(vm.interruptNudge ? { interruptNudge: vm.interruptNudge } : {}),
	} satisfies WorkerOutput);
	try {
		board.start(setup.mainProgram);
	} finally {
		flush();
	}

	const take = (message: WorkerInput | { type: 'close' }): void => {
		if (message.type === 'close') {
			flush();
			vm.close();
			wire.close();
			return;
		}
		const end = (message.start + message.length) | 0;
		// Taken already by Python reading stdin (mpremote's mount), or dropped by a Ctrl-C.
		if (positionsApart(end, ring.position) <= 0) return;
		if (message.ctrlC) {
			if (message.epoch <= consumedEpoch) {
				ring.skipTo(end); // it interrupted running Python: not a key press
				return;
			}
			// At a prompt Ctrl-C is an ordinary key; the flag it raised must not hit the next command.
			Atomics.store(setup.interruptFlag, 0, 0);
		} else if (message.epoch < consumedEpoch) {
			ring.skipTo(end);
			return;
		}
		ring.skipTo(message.start);
		// A byte at a time, so that code started by one byte reads the bytes after it from stdin, as on a board.
		while (positionsApart(end, ring.position) > 0) {
			const byte = ring.take(1);
			// Enter or Ctrl-D may start code that runs for long without printing (`while True: pass`): what was
			// echoed so far, and the answer to this byte, go out as a board's would, not when the code is done.
			if (startsCode(byte[0])) {
				flush();
				flushNext = true;
			}
			board.input(byte);
			flushNext = false;
		}
		flush();
	};

	port.on('message', (message: WorkerInput | { type: 'close' }) => {
		try {
			take(message);
		} catch (error) {
			// A VM that stopped (a trap it could not come back from) leaves the board unable to answer anything:
			// said once, for the main thread to stop the board, rather than a board that falls silent.
			flush();
			fail(error);
		}
	});
}

function fail(error: unknown): void {
	port?.postMessage({
		type: 'failed',
		message: error instanceof Error ? error.message : String(error),
	} satisfies WorkerOutput);
	port?.close();
}

main().catch(fail);
