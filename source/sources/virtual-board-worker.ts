import { parentPort, workerData } from 'node:worker_threads';
import { loadVm } from './micropython-vm.js';
import { type BoardFlavour, createVirtualConsole } from './virtual-console.js';

/**
 * The thread the virtual board's VM runs in. Python runs synchronously and may run for ever (a busy board), so
 * it cannot share the thread that moves bytes between the pseudo-terminal and the VM. Ctrl-C reaches running
 * Python through the loader's shared interrupt flag, as a UART interrupt does on a board.
 */

/** What the main thread sends. */
export type WorkerInput = {
	type: 'input';
	bytes: Uint8Array;
	/** Interrupt count when these bytes were sent; a lone Ctrl-C carries the count it raised. */
	epoch: number;
	ctrlC: boolean;
};

/** What the worker sends back. */
export type WorkerOutput =
	| { type: 'ready'; version: string }
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

function collect(bytes: Uint8Array): void {
	for (const byte of bytes) pending.push(byte);
	if (pending.length >= flushBytes || Date.now() - lastFlushMs >= flushIntervalMs) flush();
}

async function main(): Promise<void> {
	if (!port) return;
	let consoleOutput: (bytes: Uint8Array) => void = collect;
	const vm = await loadVm({
		heapBytes: setup.heapBytes,
		...(setup.growRoomBytes > 0 ? { growable: true, maxNewSplitBytes: setup.growRoomBytes } : {}),
		interruptFlag: setup.interruptFlag,
		boardErrnos: true,
		onOutput: (bytes) => consoleOutput(bytes),
	});
	const board = createVirtualConsole(vm, collect, { rawPaste: setup.rawPaste, flavour: setup.flavour });
	consoleOutput = (bytes) => board.vmOutput(bytes);

	// Ctrl-C handled so far: bytes sent before the latest interrupt that running Python consumed are dropped,
	// as TinyUSB boards empty their input buffer on Ctrl-C (protocol.md §3.1).
	let consumedEpoch = 0;
	let handledEpoch = 0;
	const run = (work: () => void): void => {
		work();
		const epoch = Atomics.load(setup.interruptCount, 0);
		if (epoch > handledEpoch && Atomics.load(setup.interruptFlag, 0) === 0) consumedEpoch = epoch;
		flush();
	};

	port.postMessage({ type: 'ready', version: vm.version } satisfies WorkerOutput);
	run(() => board.start(setup.mainProgram));

	port.on('message', (message: WorkerInput | { type: 'close' }) => {
		if (message.type === 'close') {
			flush();
			vm.close();
			port.close();
			return;
		}
		if (message.ctrlC) {
			if (message.epoch <= consumedEpoch) return; // it interrupted running Python: not a key press
			handledEpoch = message.epoch;
			// At a prompt Ctrl-C is an ordinary key; the flag it raised must not hit the next command.
			Atomics.store(setup.interruptFlag, 0, 0);
		} else if (message.epoch < consumedEpoch) {
			return;
		}
		run(() => board.input(message.bytes));
	});
}

main().catch((error: unknown) => {
	port?.postMessage({
		type: 'failed',
		message: error instanceof Error ? error.message : String(error),
	} satisfies WorkerOutput);
});
