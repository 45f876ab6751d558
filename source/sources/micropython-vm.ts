import type {
	EmscriptenModule,
	loadMicroPython,
	MicroPythonInstance,
	PyProxyObject,
} from '@micropython/micropython-webassembly-pyscript';
import { importPackage } from './import-package.js';
import type { InputRingReader } from './input-ring.js';

/**
 * The real MicroPython VM (the WebAssembly port, npm `@micropython/micropython-webassembly-pyscript` 1.27.0),
 * loaded in this thread and made to behave like a board: a fixed-size GC heap, snapshots taken without
 * compiling Python, and a way in for Ctrl-C. Everything else in heaptop that runs Python in-process goes
 * through `loadVm`.
 *
 * One difference from a board remains, and it is the port's: this build collects garbage only when control is
 * back in JavaScript, never while Python runs, because the GC cannot see pointers held in WebAssembly's own
 * locals. `gc.collect()` inside `exec` (and the automatic collect before a MemoryError) only asks for a
 * collection, which happens as that `exec` returns. So collect with `collect()` between runs, not inside them;
 * a dump printed inside a run shows its garbage; and a run that makes more garbage than the heap holds raises
 * MemoryError where a board would have collected.
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
	/** Console output, in chunks as the VM writes them (a print's pieces, a line of a traceback). */
	onOutput?: (bytes: Uint8Array, stream: VmStream) => void;
	/**
	 * A flag, usually on a SharedArrayBuffer, that another thread sets to non-zero to interrupt running
	 * Python with KeyboardInterrupt (see `createInterruptFlag`). The VM polls it while it runs.
	 */
	interruptFlag?: Int32Array;
	/** Words of Python stack (the port's `pystack`); the package's default is 2048. */
	pystackWords?: number;
	/** Renumber file-system errors as a board's (ENOENT 2, not the port's 44): the virtual board's VM. */
	boardErrnos?: boolean;
	/**
	 * With `growable`: the room for new heap areas the GC is told is left (what `max new split` and the extra in
	 * `gc.mem_free()` say), as on a board with an outer heap. Default the port's own 128 MiB.
	 */
	maxNewSplitBytes?: number;
	/**
	 * Console input for Python that reads `sys.stdin` (file descriptor 0) while it runs, as a board's UART:
	 * without it, a read of stdin finds nothing.
	 */
	stdin?: VmStdin;
};

/** Where the VM's `sys.stdin` reads from (see `LoadVmOptions.stdin`). */
export type VmStdin = {
	/** The bytes typed at the board, written by another thread. */
	ring: InputRingReader;
	/** Called before the VM sleeps waiting for input: output still held back must go now, or nobody answers. */
	beforeWait?: () => void;
	/**
	 * Called each time a Ctrl-C from `interruptFlag` is delivered to running Python as KeyboardInterrupt, just
	 * before the flag is lowered.
	 */
	onInterrupt?: () => void;
};

/** How `MicroPythonVm.exec` runs its code. */
export type ExecOptions = { uninterruptible?: boolean };

/** A loaded VM. Methods are synchronous: Python runs on this thread and blocks it until it returns. */
export type MicroPythonVm = {
	/** The heap size asked for in `LoadVmOptions`. */
	readonly heapBytes: number;
	readonly growable: boolean;
	/** `sys.version`, e.g. `3.4.0; MicroPython v1.27.0 on 2025-12-10`. */
	readonly version: string;
	/**
	 * Compiles and runs `code` in `__main__`. Python exceptions come back in the result, never thrown. Ctrl-C
	 * interrupts it, as pyexec allows around each command, unless `uninterruptible`: the console's own setup
	 * code, which a Ctrl-C typed at that moment must not leave half run (the key waits for the prompt instead).
	 */
	exec(code: string, options?: ExecOptions): ExecResult;
	/**
	 * `micropython.mem_info(1)`, called through the package's proxy, so nothing is compiled (compiling can
	 * itself fail on a fragmented heap). The text is captured, not passed to `onOutput`.
	 */
	memInfo(): string;
	/**
	 * The function `name` of `__main__` as it is now, to be called later through the package's proxy: nothing
	 * is compiled then, so it still runs on a heap with no room left to compile a line. Undefined when `name`
	 * is no function.
	 */
	mainFunction(name: string): (() => ExecResult) | undefined;
	/** `gc.collect()`, through the proxy as well; it takes effect as the call returns, at the top level. */
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
	/**
	 * With an `interruptFlag`: what the thread that raises the flag passes to `raiseInterrupt` as well, so that a
	 * loop calling nothing is interrupted too. Undefined when this build's memory could not be shared.
	 */
	readonly interruptNudge: InterruptNudge | undefined;
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
export function raiseInterrupt(flag: Int32Array, nudge?: InterruptNudge): void {
	Atomics.store(flag, 0, 1);
	if (nudge) nudgeInterrupt(nudge);
}

/**
 * Where another thread can make the VM look at its interrupt flag even while it runs a loop that calls
 * nothing (`while True: pass`): the word of the VM's memory that holds the scheduler's state. The VM checks it
 * at every backward jump, as a board's VM does after its UART interrupt has set it.
 */
export type InterruptNudge = {
	/** The VM's WebAssembly memory, shared. */
	memory: SharedArrayBuffer;
	/** `MP_STATE_VM(sched_state)`, as an index of 32-bit words. */
	index: number;
};

// py/mpstate.h: the scheduler's states.
const schedIdle = 1;
const schedPending = 0;

/**
 * Marks the VM's scheduler pending, as `mp_sched_keyboard_interrupt` does from a board's UART interrupt: the
 * running bytecode calls `mp_handle_pending` at its next jump, through a JavaScript trampoline that looks at
 * the interrupt flag. Only from idle: a scheduler locked or already pending is left as it is.
 */
export function nudgeInterrupt(nudge: InterruptNudge): void {
	Atomics.compareExchange(new Int32Array(nudge.memory), nudge.index, schedIdle, schedPending);
}

/**
 * What to tell the user after a MemoryError in this VM. The WebAssembly port collects garbage only when
 * control returns to JavaScript (its GC cannot see pointers held in WebAssembly locals), never while Python
 * runs, so garbage made inside one run counts against the heap until the run ends: a loop that makes garbage
 * fails here where a board's automatic collect would have carried on.
 */
export function garbageLimitNote(exception: { type: string }): string | undefined {
	if (exception.type !== 'MemoryError') return undefined;
	return (
		"this emulator cannot collect garbage while a script runs (a limit of MicroPython's WebAssembly port), " +
		'so a loop that makes garbage runs out of memory here sooner than on a board'
	);
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

/** The instance's exports that the package does not wrap. */
type StackExports = {
	memory: { buffer: ArrayBuffer };
	emscripten_stack_get_current(): number;
	_emscripten_stack_restore(pointer: number): void;
	/** `micropython.kbd_intr`'s character: 3, or -1 while a program (mpremote's mount) takes Ctrl-C as data. */
	mp_hal_get_interrupt_char(): number;
	malloc(bytes: number): number;
	free(pointer: number): void;
};

type WasmHooks = {
	/** Receives console output: `length` bytes at `pointer` in `memory`, valid only during the call. */
	write: (stream: VmStream, memory: Uint8Array, pointer: number, length: number) => void;
	interruptFlag: Int32Array | undefined;
	/** Renumber system-call errors as a board's (see `hookErrnos`). */
	boardErrnos: boolean;
	/** Set once the instance exists, to schedule KeyboardInterrupt from inside an import. */
	scheduleInterrupt: (() => void) | undefined;
	stack: StackExports | undefined;
	stdin: VmStdin | undefined;
};

/*
 * Two functions of the 1.27.0 binary are changed before it is compiled, each found by its exact bytes (body
 * size, no locals, code, end):
 *
 * - `gc_get_max_new_split` returns a constant 128 MiB: the room the port claims it has for new heap areas. It
 *   is what makes the GC grow, what mem_info prints as `max new split`, and what `gc.mem_free()` adds to the
 *   real free figure. A fixed-size board returns 0: the GC never grows, mem_info says `max new split: 0`, and
 *   `gc.mem_free()` tells the truth, as on a board.
 * - `nlr_jump_fail` is `while (1);`. It is reached when an exception has nowhere to go, which happens when the
 *   heap is so full that the VM cannot allocate the 64 bytes it needs to turn an uncaught exception into text.
 *   A board prints a MemoryError; the wasm VM would spin forever. It becomes `unreachable`, a trap that
 *   reaches JavaScript as a RuntimeError, after which the VM is still usable.
 */
const maxNewSplitBody = [0x08, 0x00, 0x41, 0x80, 0x80, 0x80, 0xc0, 0x00, 0x0b];
const noNewSplitBody = [0x08, 0x00, 0x41, 0x00, 0x01, 0x01, 0x01, 0x01, 0x0b];
const spinBody = [0x07, 0x00, 0x03, 0x40, 0x0c, 0x00, 0x0b, 0x0b];
const trapBody = [0x07, 0x00, 0x00, 0x01, 0x01, 0x01, 0x01, 0x0b];

function readLeb(bytes: Uint8Array, start: number): { value: number; next: number } {
	let value = 0;
	let shift = 0;
	let at = start;
	for (;;) {
		const byte = bytes[at++] ?? 0;
		value += (byte & 0x7f) * 2 ** shift;
		shift += 7;
		if ((byte & 0x80) === 0 || at >= bytes.length) return { value, next: at };
	}
}

/** Replaces each occurrence of `from` inside the code section; returns how many it replaced. */
function replaceInCode(binary: Uint8Array, from: readonly number[], to: readonly number[]): number {
	let at = 8; // magic and version
	while (at < binary.length) {
		const id = binary[at] ?? 0;
		const size = readLeb(binary, at + 1);
		const end = size.next + size.value;
		if (id === 10) {
			let count = 0;
			for (let i = size.next; i + from.length <= end; i++) {
				if (from.every((byte, k) => binary[i + k] === byte)) {
					binary.set(to, i);
					count++;
				}
			}
			return count;
		}
		at = end;
	}
	return 0;
}

/** `gc_get_max_new_split` returning `bytes`: `i32.const` with its LEB128 padded to the five bytes it replaces. */
function newSplitBody(bytes: number): number[] {
	if (bytes === 0) return noNewSplitBody;
	const leb = [0, 7, 14, 21].map((shift) => ((bytes >>> shift) & 0x7f) | 0x80);
	return [0x08, 0x00, 0x41, ...leb, (bytes >>> 28) & 0x07, 0x0b];
}

/**
 * Makes the module's one memory shared, so that another thread can write the word that makes running bytecode
 * look at its interrupt flag (`InterruptNudge`). The memory section of 1.27.0 is one memory with a maximum
 * (flags 0x01); shared is flags 0x03, same limits, so the byte is changed in place. False when the section is
 * not that.
 */
function shareMemory(binary: Uint8Array): boolean {
	let at = 8;
	while (at < binary.length) {
		const id = binary[at] ?? 0;
		const size = readLeb(binary, at + 1);
		if (id === 5) {
			const count = readLeb(binary, size.next);
			if (count.value !== 1 || binary[count.next] !== 0x01) return false;
			binary[count.next] = 0x03;
			return true;
		}
		at = size.next + size.value;
	}
	return false;
}

/**
 * `newSplitBytes`: 0 for a fixed-size heap, a number for a heap that grows with that much room always said to
 * be left (an outer heap, as CircuitPython 9's), undefined for the port's own 128 MiB. `shared`: a shared
 * memory, where the build allows it.
 */
function patchBinary(source: Uint8Array, newSplitBytes: number | undefined, shared: boolean): Uint8Array {
	const binary = new Uint8Array(source);
	replaceInCode(binary, spinBody, trapBody);
	if (newSplitBytes !== undefined && replaceInCode(binary, maxNewSplitBody, newSplitBody(newSplitBytes)) !== 1) {
		throw new VmError('this MicroPython build cannot be made fixed-size (expected version 1.27.0 of the package)');
	}
	if (shared) shareMemory(binary);
	return binary;
}

/** Compiled once per thread and per kind of heap (and memory), and shared by every VM of that kind. */
const compiled = new Map<string, Promise<object>>();
let loadQueue: Promise<unknown> = Promise.resolve();

/*
 * The VM calls JavaScript through the `invoke_*` trampolines (Emscripten's setjmp support) on nearly every
 * bytecode that calls a C function, so they are where a pending Ctrl-C from another thread is noticed. Each
 * call looks: a loop that calls nothing gets one call, `mp_handle_pending`, when the other thread nudges the
 * scheduler (`nudgeInterrupt`), and that call must be the one that sees the flag.
 */

/*
 * Console output leaves the VM through WASI's fd_write, one buffer per call. Emscripten's own handler would hand
 * it to the package a byte at a time (one callback and one Uint8Array per byte), which made a 192 KiB snapshot
 * take 15 ms; reading the buffers here takes well under one.
 */
function hookOutput(imports: WasmImports, hooks: WasmHooks): void {
	const wasi = imports.wasi_snapshot_preview1;
	const fdWrite = wasi?.fd_write;
	if (!wasi || typeof fdWrite !== 'function') return;
	// mem_info writes its table a character at a time, so this runs ~15,000 times per snapshot: the views are
	// made again only when the memory has grown.
	let buffer: ArrayBuffer | undefined;
	let bytes = new Uint8Array(0);
	let words = new Uint32Array(0);
	wasi.fd_write = (fd: number, iov: number, iovCount: number, writtenPointer: number): number => {
		const memory = hooks.stack?.memory;
		if ((fd !== 1 && fd !== 2) || !memory) return fdWrite(fd, iov, iovCount, writtenPointer);
		if (memory.buffer !== buffer) {
			buffer = memory.buffer;
			bytes = new Uint8Array(buffer);
			words = new Uint32Array(buffer);
		}
		const stream = fd === 1 ? 'stdout' : 'stderr';
		let written = 0;
		// WASI iovecs are pairs of 32-bit words, pointer then length, 4-byte aligned.
		for (let k = 0; k < iovCount; k++) {
			const pointer = words[(iov >>> 2) + 2 * k] ?? 0;
			const length = words[(iov >>> 2) + 2 * k + 1] ?? 0;
			if (length > 0) hooks.write(stream, bytes, pointer, length);
			written += length;
		}
		words[writtenPointer >>> 2] = written;
		return 0; // WASI's success
	};
}

/*
 * The port's C library numbers errors as WASI does (ENOENT 44, EEXIST 20), and the posix VFS raises OSError with
 * that number, while MicroPython's own `errno` module, and every board, use MicroPython's numbers (ENOENT 2,
 * EEXIST 17: Linux's). Tools compare them (mpremote's `fs cp` checks for ENOENT 2), so each system call's error
 * is renumbered as it comes back from JavaScript, before the C library stores it in `errno`. Not renumbered:
 * an error whose board number is the C library's EINTR (27) or EAGAIN (6), because the port's C code retries
 * on those (EFBIG would become 27 and loop); neither comes from the in-memory file system anyway.
 */
const wasiToMicroPython = new Map<number, number>([
	[63, 1], // EPERM
	[44, 2], // ENOENT
	[71, 3], // ESRCH
	[29, 5], // EIO
	[1, 7], // E2BIG
	[45, 8], // ENOEXEC
	[8, 9], // EBADF
	[12, 10], // ECHILD
	[48, 12], // ENOMEM
	[2, 13], // EACCES
	[21, 14], // EFAULT
	[10, 16], // EBUSY
	[20, 17], // EEXIST
	[75, 18], // EXDEV
	[43, 19], // ENODEV
	[54, 20], // ENOTDIR
	[31, 21], // EISDIR
	[28, 22], // EINVAL
	[41, 23], // ENFILE
	[33, 24], // EMFILE
	[59, 25], // ENOTTY
	[74, 26], // ETXTBSY
	[51, 28], // ENOSPC
	[70, 29], // ESPIPE
	[69, 30], // EROFS
	[34, 31], // EMLINK
	[64, 32], // EPIPE
	[18, 33], // EDOM
	[68, 34], // ERANGE
	[37, 36], // ENAMETOOLONG
	[52, 38], // ENOSYS
	[55, 39], // ENOTEMPTY
	[32, 40], // ELOOP
	[58, 95], // ENOTSUP (EOPNOTSUPP)
	[73, 110], // ETIMEDOUT
]);

/** Renumbers the error a system call returns: negative for `__syscall_*`, positive for WASI's `fd_*`. */
function hookErrnos(imports: WasmImports): void {
	const wrap = (table: ImportTable | undefined, pick: (name: string) => boolean, sign: 1 | -1) => {
		if (!table) return;
		for (const [name, value] of Object.entries(table)) {
			if (!pick(name) || typeof value !== 'function') continue;
			const call = value as (...args: unknown[]) => unknown;
			table[name] = (...args: unknown[]) => {
				const result = call(...args);
				if (typeof result !== 'number' || result === 0 || Math.sign(result) !== sign) return result;
				const mapped = wasiToMicroPython.get(result * sign);
				return mapped === undefined ? result : mapped * sign;
			};
		}
	};
	wrap(imports.env, (name) => name.startsWith('__syscall_'), -1);
	wrap(imports.wasi_snapshot_preview1, (name) => name.startsWith('fd_') || name.startsWith('path_'), 1);
}

const CTRL_C = 0x03;
// WASI's and the port's C library's numbers.
const wasiEintr = 27;
const pollIn = 0x001;
// How long one sleep of a blocked read lasts before it looks at the interrupt flag again.
const waitSliceMs = 50;
// The port's select.poll asks each stream with poll(fd, 1, 0) in a loop until its timeout; after this many
// empty answers in a row each one sleeps a millisecond, so waiting for input does not spin a core.
const busyPolls = 8;

function interruptEnabled(hooks: WasmHooks): boolean {
	return hooks.stack?.mp_hal_get_interrupt_char() === CTRL_C;
}

function deliverInterrupt(hooks: WasmHooks, flag: Int32Array): void {
	// Whoever raises the flag raises it before counting the Ctrl-C (virtual-board.ts). So what `onInterrupt`
	// counts now had its flag up already and is lowered with it below; a Ctrl-C counted later keeps its flag.
	// Lowered first, a flag raised in between would stay up for a Ctrl-C already counted as delivered, and hit
	// the next command the user types.
	hooks.stdin?.onInterrupt?.();
	Atomics.store(flag, 0, 0);
	hooks.scheduleInterrupt?.();
}

/**
 * Reads of file descriptor 0 (`sys.stdin`, `sys.stdin.buffer`) and polls of it come from the input ring, as a
 * board's come from its UART buffer. While Ctrl-C interrupts (kbd_intr(3)), a Ctrl-C is never data: it raises
 * KeyboardInterrupt (the read fails with EINTR, and the port's retry loop runs the pending exception) and the
 * bytes before it are dropped, as TinyUSB boards empty their buffer. With kbd_intr(-1) it is a byte like any
 * other, and the flag it raised is lowered.
 */
function hookStdin(imports: WasmImports, hooks: WasmHooks): void {
	const stdin = hooks.stdin;
	const wasi = imports.wasi_snapshot_preview1;
	const env = imports.env;
	if (!stdin || !wasi || !env) return;
	const fdRead = wasi.fd_read as (...args: number[]) => number;
	const poll = env.__syscall_poll as (...args: number[]) => number;
	const flag = hooks.interruptFlag;
	const ring = stdin.ring;
	const flagUp = () => flag !== undefined && Atomics.load(flag, 0) !== 0;

	/** Drops what is waiting up to its last Ctrl-C; true when there was one. */
	const dropThroughCtrlC = (): boolean => {
		let last = -1;
		const count = ring.available();
		for (let offset = 0; offset < count; offset++) if (ring.peek(offset) === CTRL_C) last = offset;
		if (last >= 0) ring.skipTo((ring.position + last + 1) | 0);
		return last >= 0;
	};
	/** Input for a read now: 'interrupt', the number of bytes waiting, or 0. */
	const ready = (): 'interrupt' | number => {
		if (interruptEnabled(hooks)) {
			if (flagUp()) return 'interrupt';
			// A Ctrl-C whose interrupt was already delivered, while Python computed: no longer anything.
			dropThroughCtrlC();
		}
		return ring.available();
	};

	wasi.fd_read = (fd: number, iov: number, iovCount: number, readPointer: number): number => {
		const memory = hooks.stack?.memory;
		if (fd !== 0 || !memory) return fdRead(fd, iov, iovCount, readPointer);
		for (;;) {
			const now = ready();
			if (now === 'interrupt' && flag) {
				dropThroughCtrlC();
				deliverInterrupt(hooks, flag);
				return wasiEintr;
			}
			if (typeof now === 'number' && now > 0) break;
			stdin.beforeWait?.();
			ring.wait(waitSliceMs);
		}
		const words = new Uint32Array(memory.buffer);
		const bytes = new Uint8Array(memory.buffer);
		let read = 0;
		for (let k = 0; k < iovCount; k++) {
			const pointer = words[(iov >>> 2) + 2 * k] ?? 0;
			const length = words[(iov >>> 2) + 2 * k + 1] ?? 0;
			const chunk = ring.take(length);
			bytes.set(chunk, pointer);
			read += chunk.length;
			if (!interruptEnabled(hooks) && chunk.includes(CTRL_C) && flag) Atomics.store(flag, 0, 0);
			if (chunk.length < length) break;
		}
		words[readPointer >>> 2] = read;
		return 0;
	};

	let emptyPolls = 0;
	env.__syscall_poll = (fds: number, count: number, timeoutMs: number): number => {
		const memory = hooks.stack?.memory;
		if (!memory || count < 1) return poll(fds, count, timeoutMs);
		// struct pollfd: int fd; short events; short revents (8 bytes).
		const view = new DataView(memory.buffer);
		for (let k = 0; k < count; k++) if (view.getInt32(fds + 8 * k, true) !== 0) return poll(fds, count, timeoutMs);
		const isReady = () => ready() !== 0;
		if (!isReady()) {
			if (timeoutMs !== 0) {
				stdin.beforeWait?.();
				const deadline = timeoutMs < 0 ? Number.POSITIVE_INFINITY : Date.now() + timeoutMs;
				while (!isReady() && Date.now() < deadline) ring.wait(Math.min(waitSliceMs, deadline - Date.now()));
			} else if (++emptyPolls > busyPolls) {
				stdin.beforeWait?.();
				ring.wait(1);
			}
		}
		const on = isReady();
		if (on) emptyPolls = 0;
		let readyCount = 0;
		for (let k = 0; k < count; k++) {
			const events = view.getInt16(fds + 8 * k + 4, true);
			const revents = on ? events & pollIn : 0;
			view.setInt16(fds + 8 * k + 6, revents, true);
			if (revents) readyCount++;
		}
		return readyCount;
	};
}

function hookImports(imports: WasmImports, hooks: WasmHooks): void {
	hookStdin(imports, hooks);
	if (hooks.boardErrnos) hookErrnos(imports);
	hookOutput(imports, hooks);
	const env = imports.env;
	if (!env || !hooks.interruptFlag) return;
	const flag = hooks.interruptFlag;
	for (const [name, value] of Object.entries(env)) {
		if (!name.startsWith('invoke_') || typeof value !== 'function') continue;
		const trampoline = value as (...args: number[]) => unknown;
		env[name] = (...args: number[]) => {
			// As a board's UART interrupt compares each byte with kbd_intr's character: with -1, Ctrl-C is data.
			if (Atomics.load(flag, 0) !== 0 && interruptEnabled(hooks)) deliverInterrupt(hooks, flag);
			return trampoline(...args);
		};
	}
}

/** Loads the package with its binary patched and its imports hooked. */
async function loadHooked(
	options: Parameters<typeof loadMicroPython>[0],
	newSplitBytes: number | undefined,
	hooks: WasmHooks,
): Promise<MicroPythonInstance> {
	const original = wasmGlobal.WebAssembly.instantiate;
	// The package offers no way to pass Emscripten's `instantiateWasm`, so the one call it makes is intercepted
	// for the duration of the load; loads are queued so two never overlap.
	const patched = async (source: unknown, imports?: WasmImports) => {
		const isOurs = imports !== undefined && typeof imports.env?.mp_js_ticks_ms === 'function';
		if (!isOurs || !(source instanceof Uint8Array)) return original(source, imports);
		hookImports(imports, hooks);
		const shared = hooks.interruptFlag !== undefined;
		const key = `${newSplitBytes}:${shared}`;
		let module = compiled.get(key);
		if (!module) {
			module = wasmGlobal.WebAssembly.compile(patchBinary(source, newSplitBytes, shared));
			compiled.set(key, module);
		}
		const instance = (await original(await module, imports)) as { exports: StackExports };
		hooks.stack = instance.exports;
		return { module: await module, instance };
	};
	// Imported here, not at the top: a bundle lifts a top-level import of a package it leaves outside to its own
	// top, and the printing build (scripts/bundle-options.ts) would load the VM's glue for every snapshot.
	const { loadMicroPython: load } = await importPackage<typeof import('@micropython/micropython-webassembly-pyscript')>(
		'@micropython/micropython-webassembly-pyscript',
	);
	wasmGlobal.WebAssembly.instantiate = patched;
	try {
		return await load(options);
	} finally {
		wasmGlobal.WebAssembly.instantiate = original;
	}
}

/** A WebAssembly trap: the VM hit `unreachable` (see `patchBinary`) or a bug of its own. */
function isTrap(error: unknown): error is Error {
	return error instanceof Error && error.constructor.name === 'RuntimeError';
}

const unreportable: PythonException = {
	type: 'MemoryError',
	traceback: 'MemoryError: the heap was too full for MicroPython to report the exception\n',
};

function isPythonError(error: unknown): error is Error & { type: string } {
	return (
		error instanceof Error && error.name === 'PythonError' && typeof (error as { type?: unknown }).type === 'string'
	);
}

function toException(error: unknown): PythonException {
	if (isPythonError(error)) {
		// Formatting the traceback allocates on the GC heap; when even that fails part way, the port hands back
		// an empty type and text.
		if (error.type === '') return unreportable;
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
 * Sets kbd_intr's character without running Python. A call through the package's proxy allocates on the GC
 * heap now and then (its table of references grows), which a measurement between two mem_free() would count.
 * So where interrupts matter, the C variable's address is found once at load: an unlikely value set through the
 * proxy, then the word holding it whose change the exported C getter reads back. Failing that, the proxy.
 */
function interruptCharSetter(
	hooks: WasmHooks,
	kbdIntr: Callable,
	find: boolean,
): { set: (character: number) => void; direct: boolean } {
	const memory = hooks.stack?.memory;
	const read = hooks.stack?.mp_hal_get_interrupt_char.bind(hooks.stack);
	let index: number | undefined;
	if (find && memory && read) {
		const mark = 0x5a17c3;
		kbdIntr(mark);
		const words = new Int32Array(memory.buffer);
		// Copies of the argument may linger elsewhere: the variable is the word the C getter reads back.
		for (let at = 0; at < words.length && index === undefined; at++) {
			if (words[at] !== mark) continue;
			words[at] = mark + 1;
			if (read() === mark + 1) index = at;
			words[at] = mark;
		}
		kbdIntr(-1); // the C default, as before the search
	}
	return {
		set(character) {
			if (index === undefined || !memory) kbdIntr(character);
			else new Int32Array(memory.buffer)[index] = character;
		},
		direct: index !== undefined && memory !== undefined,
	};
}

/**
 * Finds `sched_state` in the VM's memory: the one word that `mp_sched_keyboard_interrupt` turns from idle to
 * pending, and `mp_pending_exception`, the one it turns from null to the exception. The words it changed are
 * put back, so nothing is left pending.
 * Both are static, below anything malloc hands out, so only the memory below a fresh allocation is compared.
 */
function findInterruptWords(
	hooks: WasmHooks,
	schedule: () => void,
): { nudge: InterruptNudge; pendingIndex: number | undefined } | undefined {
	const stack = hooks.stack;
	// Typed as the port's plain memory; shared when `shareMemory` could patch the build.
	const buffer: ArrayBuffer | SharedArrayBuffer | undefined = stack?.memory.buffer;
	if (!stack || !(buffer instanceof SharedArrayBuffer)) return undefined;
	const probe = stack.malloc(16);
	stack.free(probe);
	const all = new Int32Array(buffer);
	const words = probe > 0 && probe >>> 2 < all.length ? all.subarray(0, probe >>> 2) : all;
	const before = words.slice();
	schedule();
	let index: number | undefined;
	let found = 0;
	const others: number[] = [];
	for (let at = 0; at < words.length; at++) {
		const old = before[at] ?? 0;
		if (words[at] === old) continue;
		if (old === schedIdle && words[at] === schedPending) {
			index = at;
			found++;
		} else if (old === 0) {
			others.push(at);
		}
		words[at] = old;
	}
	if (found !== 1 || index === undefined) return undefined;
	// The pending exception: null before, the KeyboardInterrupt object after; known only when it is the one.
	return { nudge: { memory: buffer, index }, pendingIndex: others.length === 1 ? others[0] : undefined };
}

/**
 * Loads a MicroPython VM with a heap of `heapBytes`. Several VMs can live in one thread; each call loads a new,
 * independent one (about 17 MB of WebAssembly memory each, released when it is dropped).
 */
export async function loadVm(options: LoadVmOptions): Promise<MicroPythonVm> {
	const { heapBytes, growable = false, onOutput, interruptFlag, pystackWords, boardErrnos = false } = options;
	const { maxNewSplitBytes, stdin } = options;
	if (!Number.isInteger(heapBytes) || heapBytes < minHeapBytes) {
		throw new VmError(`a heap of ${heapBytes} bytes is too small for MicroPython; use at least ${minHeapBytes}`);
	}
	// mem_info's text, gathered in one growing buffer while a snapshot is taken.
	let capture: { bytes: Uint8Array; length: number } | undefined;
	const write = (stream: VmStream, memory: Uint8Array, pointer: number, length: number): void => {
		if (capture && stream === 'stdout') {
			if (capture.length + length > capture.bytes.length) {
				const grown = new Uint8Array(Math.max(capture.bytes.length * 2, capture.length + length));
				grown.set(capture.bytes.subarray(0, capture.length));
				capture.bytes = grown;
			}
			capture.bytes.set(memory.subarray(pointer, pointer + length), capture.length);
			capture.length += length;
			return;
		}
		onOutput?.(memory.slice(pointer, pointer + length), stream);
	};
	// Emscripten's byte-at-a-time path, used only if some output ever bypasses fd_write.
	const emit = (stream: VmStream) => (data: Uint8Array) => write(stream, data, 0, data.length);
	const hooks: WasmHooks = {
		write,
		interruptFlag,
		boardErrnos,
		scheduleInterrupt: undefined,
		stack: undefined,
		stdin,
	};
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
			growable ? maxNewSplitBytes : 0,
			hooks,
		),
	);
	loadQueue = loading.catch(() => undefined);
	let mp: MicroPythonInstance;
	try {
		mp = await loading;
	} catch (error) {
		if (error instanceof VmError) throw error;
		throw new VmError(`could not load the MicroPython VM: ${error instanceof Error ? error.message : String(error)}`);
	}
	const module: EmscriptenModule = mp._module;
	hooks.scheduleInterrupt = () => module._mp_sched_keyboard_interrupt();
	const record: VmRecord = { globals: saveGlobals() };
	activeVm = record;

	const micropython = mp.pyimport('micropython');
	const gc = mp.pyimport('gc');
	const sys = mp.pyimport('sys');
	const memInfoFunction = attribute(micropython, 'mem_info');
	const collectFunction = attribute(gc, 'collect');
	const kbdIntrFunction = attribute(micropython, 'kbd_intr');
	const version = String(sys.version);
	keptProxies.push(mp.globals.__dict__, micropython, gc, sys, memInfoFunction, collectFunction, kbdIntrFunction);
	const interruptChar = interruptCharSetter(hooks, kbdIntrFunction, interruptFlag !== undefined);
	const interruptWords = interruptFlag ? findInterruptWords(hooks, hooks.scheduleInterrupt) : undefined;
	const interruptNudge = interruptWords?.nudge;
	const pendingIndex = interruptWords?.pendingIndex;
	/**
	 * What pyexec does after each command: Ctrl-C stops interrupting, and one delivered too late to interrupt
	 * (after the command's last jump) is dropped, or it would hit whatever runs next. Only where both are plain
	 * writes, so that a measurement around an exec sees no allocation of ours.
	 */
	const endInterruptible =
		interruptChar.direct && pendingIndex !== undefined
			? () => {
					interruptChar.set(-1);
					const memory = hooks.stack?.memory;
					if (memory) new Int32Array(memory.buffer)[pendingIndex] = 0;
				}
			: undefined;

	let closed = false;
	/** Runs `action` on this VM; after a trap, resets the WebAssembly stack pointer that the trap left moved. */
	const guarded = <T>(action: () => T, onTrap: () => T): T => {
		if (closed) throw new VmError('the MicroPython VM was closed');
		activate(record);
		const stackPointer = hooks.stack?.emscripten_stack_get_current();
		try {
			return action();
		} catch (error) {
			if (!isTrap(error)) throw error;
			if (stackPointer !== undefined) hooks.stack?._emscripten_stack_restore(stackPointer);
			return onTrap();
		}
	};
	const failed = (what: string) => () => {
		throw new VmError(`${what} failed: the MicroPython VM stopped`);
	};
	const proxyCall = (what: string, action: () => unknown) => () => {
		try {
			action();
		} catch (error) {
			if (isPythonError(error)) throw new VmError(`${what} failed: ${error.type}`);
			throw error;
		}
	};

	return {
		heapBytes,
		growable,
		version,
		interruptNudge,
		exec(code, options = {}) {
			return guarded(
				(): ExecResult => {
					try {
						// As pyexec does around each command: Ctrl-C interrupts, unless the code says otherwise with
						// kbd_intr(-1). The C default is -1, and the interrupt hooks honour the setting.
						const character = options.uninterruptible ? -1 : CTRL_C;
						if (hooks.stack?.mp_hal_get_interrupt_char() !== character) interruptChar.set(character);
						mp.runPython(code);
						return { ok: true };
					} catch (error) {
						return { ok: false, exception: toException(error) };
					} finally {
						endInterruptible?.();
					}
				},
				() => ({ ok: false, exception: unreportable }),
			);
		},
		mainFunction(name) {
			const found = guarded(
				() => mp.globals.get(name),
				() => undefined,
			);
			if (typeof found !== 'function') return undefined;
			keptProxies.push(found);
			const call = found as Callable;
			return () =>
				guarded(
					(): ExecResult => {
						try {
							call();
							return { ok: true };
						} catch (error) {
							return { ok: false, exception: toException(error) };
						}
					},
					() => ({ ok: false, exception: unreportable }),
				);
		},
		memInfo() {
			return guarded(() => {
				const sink = { bytes: new Uint8Array(16 * 1024), length: 0 };
				capture = sink;
				try {
					proxyCall('mem_info', () => memInfoFunction(1))();
					return Buffer.from(sink.bytes.buffer, 0, sink.length).toString('latin1');
				} finally {
					capture = undefined;
				}
			}, failed('mem_info'));
		},
		collect() {
			guarded(
				proxyCall('gc.collect', () => collectFunction()),
				failed('gc.collect'),
			);
		},
		interrupt() {
			guarded(() => module._mp_sched_keyboard_interrupt(), failed('interrupt'));
		},
		replInit() {
			guarded(() => mp.replInit(), failed('the REPL'));
		},
		replProcessChar(byte) {
			return guarded(
				() => mp.replProcessChar(byte) !== 0,
				() => {
					onOutput?.(new TextEncoder().encode(unreportable.traceback), 'stderr');
					return false;
				},
			);
		},
		close() {
			closed = true;
			if (activeVm === record) activeVm = undefined;
		},
	};
}
