import {
	type EmscriptenModule,
	loadMicroPython,
	type MicroPythonInstance,
	type PyProxyObject,
} from '@micropython/micropython-webassembly-pyscript';

/**
 * The real MicroPython VM (the WebAssembly port, npm `@micropython/micropython-webassembly-pyscript` 1.27.0),
 * loaded in this thread and made to behave like a board: a fixed-size GC heap, snapshots taken without
 * compiling Python, and a way in for Ctrl-C. Everything else in heaptop that runs Python in-process goes
 * through `loadVm`.
 */

/** Which console stream a byte came out of. */
export type VmStream = 'stdout' | 'stderr';

/** An exception that Python raised and nobody caught. */
export type PythonException = {
	/** The exception's class name: `MemoryError`, `KeyboardInterrupt`, `ValueError`… */
	type: string;
	/** MicroPython's own traceback text, `Traceback (most recent call last):` through the message line. */
	traceback: string;
};

/** The outcome of running some Python. */
export type ExecResult = { ok: true } | { ok: false; exception: PythonException };

/** How to load a VM. */
export type LoadVmOptions = {
	/** Bytes handed to the VM for its GC heap; the GC reports a little less as `total` (its tables). */
	heapBytes: number;
	/**
	 * When false (the default), the heap cannot grow: a full heap raises MemoryError as on a board. When
	 * true, the port adds heap areas on demand (`max new split`), as it does in a browser.
	 */
	growable?: boolean;
	/** Console output, in chunks as the VM writes it (one byte at a time today). */
	onOutput?: (bytes: Uint8Array, stream: VmStream) => void;
	/**
	 * A flag, usually on a SharedArrayBuffer, that another thread sets to non-zero to interrupt running
	 * Python with KeyboardInterrupt (see `createInterruptFlag`). The VM polls it while it runs.
	 */
	interruptFlag?: Int32Array;
	/** Words of Python stack (the port's `pystack`); the package's default is 2048. */
	pystackWords?: number;
};

/** A loaded VM. Methods are synchronous: Python runs on this thread and blocks it until it returns. */
export type MicroPythonVm = {
	/** The heap size asked for in `LoadVmOptions`. */
	readonly heapBytes: number;
	readonly growable: boolean;
	/** `sys.version`, e.g. `3.4.0; MicroPython v1.27.0 on 2025-12-10`. */
	readonly version: string;
	/** Compiles and runs `code` in `__main__`. Python exceptions come back in the result, never thrown. */
	exec(code: string): ExecResult;
	/**
	 * `micropython.mem_info(1)`, called through the package's proxy, so nothing is compiled (compiling can
	 * itself fail on a fragmented heap). The text is captured, not passed to `onOutput`.
	 */
	memInfo(): string;
	/** `gc.collect()`, through the proxy as well. */
	collect(): void;
	/** Schedules KeyboardInterrupt for the Python that runs next or is running (from a callback). */
	interrupt(): void;
	/** Starts the VM's own REPL (prints the banner and `>>> ` through `onOutput`). */
	replInit(): void;
	/**
	 * Feeds one byte typed at the REPL. Returns true when the REPL asks to end (the port's
	 * `PYEXEC_FORCED_EXIT`, e.g. after a soft reset request).
	 */
	replProcessChar(byte: number): boolean;
	/** Drops the VM. Later calls throw `VmError`. Safe to call twice. */
	close(): void;
};

/** Why the VM could not be loaded or used. One line, meant for users. */
export class VmError extends Error {
	override name = 'VmError';
}

/** A flag for `LoadVmOptions.interruptFlag` that can be passed to a worker thread and set from here. */
export function createInterruptFlag(): Int32Array {
	return new Int32Array(new SharedArrayBuffer(4));
}

/** Sets an interrupt flag made by `createInterruptFlag`; the VM polling it raises KeyboardInterrupt. */
export function raiseInterrupt(flag: Int32Array): void {
	Atomics.store(flag, 0, 1);
}

/** The smallest heap the GC tables and the VM's own start-up objects leave usable room in. */
export const minHeapBytes = 8 * 1024;

/*
 * The package keeps its JavaScript-side state on globalThis (the current Emscripten module, and the tables
 * that map JavaScript objects to references held in Python). With two VMs in one thread, the last one loaded
 * would own all of it, so each VM saves its copy and puts it back before it is used.
 */
const globalKeys = [
	'Module',
	'proxy_js_ref',
	'proxy_js_ref_next',
	'proxy_js_ref_map',
	'proxy_js_map',
	'proxy_js_existing',
	'pyProxyFinalizationRegistry',
] as const;
type GlobalState = Record<(typeof globalKeys)[number], unknown>;
const globalScope = globalThis as unknown as GlobalState;

function saveGlobals(): GlobalState {
	const state = {} as GlobalState;
	for (const key of globalKeys) state[key] = globalScope[key];
	return state;
}

function restoreGlobals(state: GlobalState): void {
	for (const key of globalKeys) globalScope[key] = state[key];
}

type VmRecord = { globals: GlobalState };
let activeVm: VmRecord | undefined;

function activate(vm: VmRecord): void {
	if (activeVm === vm) return;
	if (activeVm) activeVm.globals = saveGlobals();
	restoreGlobals(vm.globals);
	activeVm = vm;
}

/*
 * Python objects seen from JavaScript are freed by a FinalizationRegistry whose callback uses whichever VM is
 * global at that moment, so a proxy collected late could free a reference inside another VM. The few proxies
 * heaptop creates are kept alive for the life of the process instead: a handful of small objects per VM.
 */
const keptProxies: unknown[] = [];

/*
 * The WebAssembly global, typed by hand: the project compiles against ES2023 and Node's types, and neither
 * declares it.
 */
type ImportTable = Record<string, unknown>;
type WasmImports = Record<string, ImportTable>;
type WasmApi = {
	instantiate(source: unknown, imports?: WasmImports): Promise<unknown>;
	compile(bytes: Uint8Array): Promise<object>;
};
const wasmGlobal = globalThis as unknown as { WebAssembly: WasmApi };

type WasmHooks = {
	/** While true, the WebAssembly memory may not grow. */
	frozen: boolean;
	interruptFlag: Int32Array | undefined;
	/** Set once the instance exists, to schedule KeyboardInterrupt from inside an import. */
	scheduleInterrupt: (() => void) | undefined;
};

let compiledWasm: Promise<object> | undefined;
let loadQueue: Promise<unknown> = Promise.resolve();

/*
 * The VM calls JavaScript through the `invoke_*` trampolines (Emscripten's setjmp support) on nearly every
 * bytecode that calls a C function, so they are where a pending Ctrl-C from another thread is noticed.
 * Checking every call would cost more than the call; every 256th is plenty.
 */
const interruptPollMask = 0xff;

function hookImports(imports: WasmImports, hooks: WasmHooks): void {
	const env = imports.env;
	if (!env) return;
	const resize = env.emscripten_resize_heap;
	if (typeof resize === 'function') {
		env.emscripten_resize_heap = (requestedBytes: number) =>
			// 0 tells dlmalloc's sbrk that there is no more memory: malloc returns NULL, and the GC cannot add an area.
			hooks.frozen ? 0 : resize(requestedBytes);
	}
	let calls = 0;
	for (const [name, value] of Object.entries(env)) {
		if (!name.startsWith('invoke_') || typeof value !== 'function') continue;
		const trampoline = value as (...args: number[]) => unknown;
		env[name] = (...args: number[]) => {
			calls = (calls + 1) & interruptPollMask;
			if (calls === 0 && hooks.interruptFlag && Atomics.load(hooks.interruptFlag, 0) !== 0) {
				Atomics.store(hooks.interruptFlag, 0, 0);
				hooks.scheduleInterrupt?.();
			}
			return trampoline(...args);
		};
	}
}

/** Loads the package with its WebAssembly imports hooked, compiling the binary once per thread. */
async function loadHooked(
	options: Parameters<typeof loadMicroPython>[0],
	hooks: WasmHooks,
): Promise<MicroPythonInstance> {
	const original = wasmGlobal.WebAssembly.instantiate;
	// The package offers no way to pass Emscripten's `instantiateWasm`, so the one call it makes is intercepted
	// for the duration of the load; loads are queued so two never overlap.
	const patched = async (source: unknown, imports?: WasmImports) => {
		const isOurs = imports !== undefined && typeof imports.env?.mp_js_ticks_ms === 'function';
		if (!isOurs || !(source instanceof Uint8Array)) return original(source, imports);
		hookImports(imports, hooks);
		compiledWasm ??= wasmGlobal.WebAssembly.compile(source);
		const module = await compiledWasm;
		const instance = await original(module, imports);
		return { module, instance };
	};
	wasmGlobal.WebAssembly.instantiate = patched;
	try {
		return await loadMicroPython(options);
	} finally {
		wasmGlobal.WebAssembly.instantiate = original;
	}
}

/*
 * A fixed-size board. The port adds a GC area with malloc when the heap is full; that fails only when malloc
 * does. So once the VM is up, memory growth is refused and the malloc arena's free space is taken by
 * "ballast" blocks, except a reserve for the loader's own small mallocs (the 12-byte result slots, the copy of
 * each program `runPython` makes, a traceback string). The reserve is kept below the smallest area the GC
 * would ask for (about the size of the heap it already has), so the GC can never grow into it.
 */
function reserveBytesFor(heapBytes: number): number {
	return Math.max(2048, Math.min(64 * 1024, Math.floor(heapBytes / 4)));
}

class Ballast {
	private readonly pieces: number[] = [];
	constructor(
		private readonly module: EmscriptenModule,
		private readonly reserveBytes: number,
	) {}

	/** Takes every free byte of the malloc arena except the reserve. */
	fill(): void {
		const reserve = this.module._malloc(this.reserveBytes);
		for (let size = 1 << 24; size >= 16; size >>>= 1) {
			for (;;) {
				const pointer = this.module._malloc(size);
				if (pointer === 0) break;
				this.pieces.push(pointer);
			}
		}
		if (reserve !== 0) this.module._free(reserve);
	}

	/**
	 * Makes room for one malloc of `bytes` that may be larger than the reserve: frees ballast until a block of
	 * that size fits, takes it, refills around it, then frees it, so the next malloc of that size lands there.
	 */
	makeRoom(bytes: number): void {
		let hole = this.module._malloc(bytes);
		while (hole === 0 && this.pieces.length > 0) {
			const piece = this.pieces.shift();
			if (piece !== undefined) this.module._free(piece);
			hole = this.module._malloc(bytes);
		}
		this.fill();
		if (hole !== 0) this.module._free(hole);
	}
}

function isPythonError(error: unknown): error is Error & { type: string } {
	return (
		error instanceof Error && error.name === 'PythonError' && typeof (error as { type?: unknown }).type === 'string'
	);
}

function toException(error: unknown): PythonException {
	if (isPythonError(error)) {
		// Formatting the traceback allocates on the GC heap; when even that fails, the port hands back an
		// empty type and text. A full heap is the only cause seen.
		if (error.type === '')
			return { type: 'MemoryError', traceback: 'MemoryError: (the heap was too full to format the traceback)\n' };
		return { type: error.type, traceback: error.message };
	}
	throw error;
}

type Callable = (...args: unknown[]) => unknown;

function attribute(proxy: PyProxyObject, name: string): Callable {
	const value = proxy[name];
	if (typeof value !== 'function') throw new VmError(`the MicroPython VM has no ${name}`);
	return value as Callable;
}

/**
 * Loads a MicroPython VM with a heap of `heapBytes`. Several VMs can live in one thread; each call loads a new,
 * independent one (about 17 MB of WebAssembly memory each, released when it is dropped).
 */
export async function loadVm(options: LoadVmOptions): Promise<MicroPythonVm> {
	const { heapBytes, growable = false, onOutput, interruptFlag, pystackWords } = options;
	if (!Number.isInteger(heapBytes) || heapBytes < minHeapBytes) {
		throw new VmError(`a heap of ${heapBytes} bytes is too small for MicroPython; use at least ${minHeapBytes}`);
	}
	let capture: number[] | undefined;
	const emit = (stream: VmStream) => (data: Uint8Array) => {
		if (capture && stream === 'stdout') {
			for (const byte of data) capture.push(byte);
			return;
		}
		onOutput?.(data, stream);
	};
	const hooks: WasmHooks = { frozen: false, interruptFlag, scheduleInterrupt: undefined };
	const loading = loadQueue.then(() =>
		loadHooked(
			{
				heapsize: heapBytes,
				// Object.assign in the package would let an explicit undefined replace its default.
				...(pystackWords === undefined ? {} : { pystack: pystackWords }),
				linebuffer: false,
				stdout: emit('stdout'),
				stderr: emit('stderr'),
			},
			hooks,
		),
	);
	loadQueue = loading.catch(() => undefined);
	let mp: MicroPythonInstance;
	try {
		mp = await loading;
	} catch (error) {
		throw new VmError(`could not load the MicroPython VM: ${error instanceof Error ? error.message : String(error)}`);
	}
	const module = mp._module;
	hooks.scheduleInterrupt = () => module._mp_sched_keyboard_interrupt();
	const record: VmRecord = { globals: saveGlobals() };
	activeVm = record;

	const micropython = mp.pyimport('micropython');
	const gc = mp.pyimport('gc');
	const sys = mp.pyimport('sys');
	const memInfoFunction = attribute(micropython, 'mem_info');
	const collectFunction = attribute(gc, 'collect');
	const version = String(sys.version);
	keptProxies.push(mp.globals.__dict__, micropython, gc, sys, memInfoFunction, collectFunction);

	const reserveBytes = reserveBytesFor(heapBytes);
	const ballast = growable ? undefined : new Ballast(module, reserveBytes);
	if (ballast) {
		hooks.frozen = true;
		ballast.fill();
	}

	let closed = false;
	const use = (): void => {
		if (closed) throw new VmError('the MicroPython VM was closed');
		activate(record);
	};

	return {
		heapBytes,
		growable,
		version,
		exec(code) {
			use();
			// The package copies the program into malloc'd memory; a long one needs more than the reserve.
			const codeBytes = module.lengthBytesUTF8(code) + 1;
			if (ballast && codeBytes > reserveBytes / 2) ballast.makeRoom(codeBytes);
			try {
				mp.runPython(code);
				return { ok: true };
			} catch (error) {
				return { ok: false, exception: toException(error) };
			} finally {
				ballast?.fill();
			}
		},
		memInfo() {
			use();
			capture = [];
			try {
				memInfoFunction(1);
				return Buffer.from(capture).toString('latin1');
			} catch (error) {
				if (isPythonError(error)) throw new VmError(`mem_info failed: ${error.type}`);
				throw error;
			} finally {
				capture = undefined;
			}
		},
		collect() {
			use();
			try {
				collectFunction();
			} catch (error) {
				if (isPythonError(error)) throw new VmError(`gc.collect failed: ${error.type}`);
				throw error;
			}
		},
		interrupt() {
			use();
			module._mp_sched_keyboard_interrupt();
		},
		replInit() {
			use();
			mp.replInit();
		},
		replProcessChar(byte) {
			use();
			return mp.replProcessChar(byte) !== 0;
		},
		close() {
			closed = true;
			if (activeVm === record) activeVm = undefined;
		},
	};
}
