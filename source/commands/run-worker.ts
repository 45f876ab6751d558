import { parentPort, workerData } from 'node:worker_threads';
import { type ExecResult, type InterruptNudge, loadVm } from '../sources/micropython-vm.js';

/**
 * The thread `heaptop run` runs the user's script in. Python runs synchronously and a script may never end, so
 * it cannot share the thread that keeps the timeout and listens for Ctrl-C; those reach running Python through
 * the loader's shared interrupt flag.
 */

/** Set up by `run.ts`. */
export type RunWorkerSetup = {
	code: string;
	heapBytes: number;
	growable: boolean;
	interruptFlag: Int32Array;
};

/** What the worker sends back. */
export type RunWorkerMessage =
	| { type: 'loaded'; version: string; interruptNudge?: InterruptNudge }
	| { type: 'output'; bytes: Uint8Array; stream: 'stdout' | 'stderr' }
	| { type: 'finished'; result: ExecResult; memInfo: string }
	| { type: 'failed'; message: string };

const port = parentPort;
const setup = workerData as RunWorkerSetup;

// Output is sent in batches per stream: a message per chunk would cost more than the VM on a chatty script.
const flushBytes = 4096;
const flushIntervalMs = 20;
let pending: { stream: 'stdout' | 'stderr'; chunks: Uint8Array[]; bytes: number } | undefined;
let lastFlushMs = Date.now();

function flush(): void {
	if (!pending || !port) return;
	const bytes = new Uint8Array(pending.bytes);
	let at = 0;
	for (const chunk of pending.chunks) {
		bytes.set(chunk, at);
		at += chunk.length;
	}
	port.postMessage({ type: 'output', bytes, stream: pending.stream } satisfies RunWorkerMessage);
	pending = undefined;
	lastFlushMs = Date.now();
}

function output(bytes: Uint8Array, stream: 'stdout' | 'stderr'): void {
	if (pending && pending.stream !== stream) flush();
	pending ??= { stream, chunks: [], bytes: 0 };
	pending.chunks.push(bytes);
	pending.bytes += bytes.length;
	if (pending.bytes >= flushBytes || Date.now() - lastFlushMs >= flushIntervalMs) flush();
}

async function main(): Promise<void> {
	if (!port) return;
	const vm = await loadVm({
		heapBytes: setup.heapBytes,
		growable: setup.growable,
		interruptFlag: setup.interruptFlag,
		onOutput: output,
	});
	port.postMessage({
		type: 'loaded',
		version: vm.version,
		...(vm.interruptNudge ? { interruptNudge: vm.interruptNudge } : {}),
	} satisfies RunWorkerMessage);
	const result = vm.exec(setup.code);
	flush();
	// The heap as the script left it, or as the exception left it once it reached the top.
	const memInfo = vm.memInfo();
	port.postMessage({ type: 'finished', result, memInfo } satisfies RunWorkerMessage);
	vm.close();
}

main().catch((error: unknown) => {
	port?.postMessage({
		type: 'failed',
		message: error instanceof Error ? error.message : String(error),
	} satisfies RunWorkerMessage);
});
