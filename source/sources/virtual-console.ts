import { asciiBytes, ByteTail } from '../protocol/bytes.js';

/**
 * The serial console of the virtual board: what sits between the wire and MicroPython's own REPL (pyexec,
 * friendly, raw and raw-paste, run by the WebAssembly VM). It adds only what a real board's port adds and the
 * WebAssembly port lacks:
 *
 * - Output is "cooked": a bare `\n` from Python goes out as `\r\n`, as a board's HAL does (protocol.md §1).
 * - Raw-paste (§3.5): the WebAssembly port has no stdin (`mp_hal_stdin_rx_chr()` is 0), so MicroPython's own
 *   raw-paste reader would read NULs forever. The console speaks the raw-paste flow control itself, runs the
 *   finished code through the VM's exec in `__main__` and frames the answer as the raw REPL does. Not through
 *   the raw REPL's line buffer: firmware compiles raw-paste code from a small reader, so a long command does
 *   not grow that buffer for the rest of the session (protocol.md §11.4), and here it must not either.
 *   With `rawPaste: false` it answers as firmware older than v1.14 does (the raw banner again).
 * - Soft reset: the port only reports it, so the console prints `MPY: soft reboot`, unmounts what was mounted
 *   and goes back to `/`, clears `__main__` and `sys.modules`, collects, and restarts the REPL in the mode it
 *   was in, as a board's main loop does. The port's banner starts with a `\r\n` a board's does not have; it
 *   is dropped.
 * - The file system answers as a board's does (`boardShimCode`): `os.ilistdir` gives each entry's size.
 */

/** The part of the VM the console drives. */
export type ConsoleVm = {
	replInit(): void;
	/** True when the REPL asks for a soft reset. */
	replProcessChar(byte: number): boolean;
	/** A function of `__main__`, called later without compiling anything (`micropython-vm.ts`). */
	mainFunction?(name: string): (() => unknown) | undefined;
	exec(
		code: string,
		options?: { uninterruptible?: boolean },
	): { ok: true } | { ok: false; exception: { type: string; traceback: string } };
};

/** How the console behaves. */
export type VirtualConsoleOptions = {
	/** Offer raw-paste (MicroPython ≥ v1.14). Default true. */
	rawPaste?: boolean;
	/** Window increment advertised in raw-paste mode. Default 128, as on most boards. */
	rawPasteWindowBytes?: number;
	/** Which firmware to play. Default `micropython`. */
	flavour?: BoardFlavour;
	/**
	 * The name of a JavaScript function on `globalThis` that the board's Python calls with 1 before and 0 after a
	 * write to `sys.stdout.buffer`, so that those bytes pass uncooked (`vmOutput`'s `raw`). Without it,
	 * `sys.stdout.buffer` is the port's own.
	 */
	rawOutputHook?: string;
};

/**
 * `micropython`: a MicroPython board. `no-mem-info`: a minimal MicroPython build, below the EXTRA_FEATURES level,
 * without `micropython.mem_info` and `stack_use` (protocol.md §11.3). `circuitpython`: CircuitPython 9 (§5): its
 * banner and `sys.implementation`, no `mem_info` or `stack_use`, `code.py` run at start and then the
 * "Press any key" wait, a fresh VM (globals gone) at each switch between the friendly and the raw REPL.
 */
export type BoardFlavour = 'micropython' | 'no-mem-info' | 'circuitpython';

/** The CircuitPython this console plays: a Raspberry Pi Pico on 9.2.1. */
export const circuitPythonIdentity = {
	version: '9.2.1',
	date: '2024-11-20',
	machine: 'Raspberry Pi Pico with rp2040',
} as const;

/** CircuitPython's friendly banner (no `Type "help()"` line), protocol.md §5. */
export const circuitPythonBanner = `\r\nAdafruit CircuitPython ${circuitPythonIdentity.version} on ${circuitPythonIdentity.date}; ${circuitPythonIdentity.machine}\r\n>>> `;

/** CircuitPython's default code.py. */
const defaultCodePy = 'print("Hello World!")\n';

/**
 * Replaces modules in `sys.modules`, which `import` consults before the built-in ones: a `micropython` without
 * `mem_info` and `stack_use` (the AttributeError a board gives), and for CircuitPython a `sys` whose
 * `implementation` and `version` are CircuitPython's. Everything else is the real module's.
 */
function flavourShimCode(flavour: BoardFlavour): string {
	if (flavour === 'micropython') return '';
	// Copies of the real modules' attributes, not a __getattr__ that raises: a missing name then fails as it does
	// on a board, with no frame of this code in the traceback.
	const lines = [
		'def _heaptop_flavour():',
		'    import sys, micropython as real',
		'    class module:',
		'        pass',
		'    fake = module()',
		'    for name in dir(real):',
		"        if name not in ('mem_info', 'stack_use') and name[:2] != '__':",
		'            setattr(fake, name, getattr(real, name))',
		"    sys.modules['micropython'] = fake",
	];
	if (flavour === 'circuitpython') {
		const { version, machine } = circuitPythonIdentity;
		const [major, minor, micro] = version.split('.');
		lines.push(
			'    class implementation:',
			"        name = 'circuitpython'",
			`        version = (${major}, ${minor}, ${micro}, '')`,
			`        _machine = '${machine}'`,
			'        _mpy = sys.implementation._mpy',
			'        def __repr__(self):',
			`            return "(name='circuitpython', version=(${major}, ${minor}, ${micro}, ''), _machine='${machine}', _mpy=%d)" % self._mpy`,
			'    cpsys = module()',
			'    for name in dir(sys):',
			"        if name[:2] != '__':",
			'            setattr(cpsys, name, getattr(sys, name))',
			'    cpsys.implementation = implementation()',
			`    cpsys.version = '3.4.0; CircuitPython ${version}'`,
			"    cpsys.platform = 'RP2040'",
			"    sys.modules['sys'] = cpsys",
		);
	}
	lines.push('_heaptop_flavour()', 'del _heaptop_flavour', '');
	return lines.join('\n');
}

/** The console. `vmOutput` must receive everything the VM prints. */
export type VirtualConsole = {
	/** Bytes from the wire (the host). */
	input(bytes: Uint8Array): void;
	/** Bytes the VM printed; `raw` when they were written to `sys.stdout.buffer` (sent as they are). */
	vmOutput(bytes: Uint8Array, raw?: boolean): void;
	/** Prints the banner, after running `mainProgram` like a board's main.py when one is given. */
	start(mainProgram?: string): void;
};

const RAW_BANNER = asciiBytes('raw REPL; CTRL-B to exit\r\n>');
const RAW_FRAME_END = new Uint8Array([0x04, 0x3e]);
const FRIENDLY_PROMPT = asciiBytes('>>> ');

/**
 * Run at start and after each soft reset, before the banner. The port's `os` is a Python package, so it can be
 * made to answer as a board's VFS does: `ilistdir` entries carry their size as a fourth item (FAT and littlefs
 * give it; the port's posix VFS does not, so `mpremote fs ls` showed 0), and `os.mount` notes each mount
 * point, for the soft reset to unmount as a board's does.
 */
export const boardShimCode = [
	'def _heaptop_board():',
	'    import os',
	'    listing = os.ilistdir',
	'    def ilistdir(*args):',
	"        path = args[0] if args else ''",
	'        for entry in listing(*args):',
	'            if len(entry) == 3 and isinstance(path, str):',
	'                size = 0',
	'                if entry[1] == 0x8000:',
	"                    full = entry[0] if path in ('', '.') else path.rstrip('/') + '/' + entry[0]",
	'                    try:',
	'                        size = os.stat(full)[6]',
	'                    except OSError:',
	'                        pass',
	'                entry = entry + (size,)',
	'            yield entry',
	'    os.ilistdir = ilistdir',
	'    mount = os.mount',
	'    points = []',
	'    def mount_noted(fs, point, *args, **kwargs):',
	'        mount(fs, point, *args, **kwargs)',
	'        points.append(point)',
	'    os.mount = mount_noted',
	'    os._heaptop_mounts = points',
	'_heaptop_board()',
	'del _heaptop_board',
	'',
].join('\n');

/**
 * A `sys` for `import sys` (a copy of the real module's attributes in `sys.modules`) whose `stdout.buffer`
 * tells the console, through `hook`, that what it writes is bytes, not text: on a board `print` goes through
 * the HAL's cooked output (`\n` as `\r\n`) and `sys.stdout.buffer.write` does not, and mpremote's mount
 * protocol sends binary through the latter. The port writes both to the same file descriptor.
 */
function rawStdoutShimCode(hook: string): string {
	return [
		'def _heaptop_stdout():',
		'    import sys, js',
		`    note = getattr(js, ${JSON.stringify(hook)})`,
		'    out = sys.stdout',
		'    class Raw:',
		'        def write(self, *args):',
		'            note(1)',
		'            try:',
		'                return out.buffer.write(*args)',
		'            finally:',
		'                note(0)',
		'        def flush(self):',
		'            pass',
		'    class Stdout:',
		'        buffer = Raw()',
		'        def write(self, text):',
		'            return out.write(text)',
		'        def flush(self):',
		'            pass',
		'    class module:',
		'        pass',
		'    fake = module()',
		'    for name in dir(sys):',
		"        if name[:2] != '__':",
		'            setattr(fake, name, getattr(sys, name))',
		'    fake.stdout = Stdout()',
		"    sys.modules['sys'] = fake",
		'_heaptop_stdout()',
		'del _heaptop_stdout',
		'',
	].join('\n');
}

/** The function that does a soft reset's work, kept in `__main__` under a name the reset itself keeps. */
const SOFT_RESET = '__heaptop_soft_reset__';

/**
 * What a board's main loop does on soft reset, short of a new heap: forget every global, mounts, the working
 * directory and every module, and collect. Defined once, at start, and called through the VM's proxy: a soft
 * reset must work on a heap that main.py filled to the last block, where not even a line can be compiled. So
 * the globals go first, by `clear()`, which allocates nothing and leaves the heap's contents to the collect;
 * what follows has room.
 */
const softResetCode = [
	`def ${SOFT_RESET}():`,
	'    g = globals()',
	`    me = g['${SOFT_RESET}']`,
	"    name = g['__name__']",
	'    g.clear()',
	"    g['__name__'] = name",
	`    g['${SOFT_RESET}'] = me`,
	'    import gc, sys',
	"    os = sys.modules.get('os')",
	'    if os:',
	"        for point in reversed(getattr(os, '_heaptop_mounts', [])):",
	'            try:',
	'                os.umount(point)',
	'            except OSError:',
	'                pass',
	"        os.chdir('/')",
	'    for m in list(sys.modules):',
	'        del sys.modules[m]',
	'    gc.collect()',
	'',
].join('\n');

/** The global, in the thread the VM runs in, where `programFileCode` reads the program through the `js` module. */
const PROGRAM_SOURCE_HOOK = '_heaptop_program_source';

/**
 * Runs main.py (or code.py) as firmware does: compiled under the file's name, its exception printed by
 * MicroPython itself without this wrapper's frame (where there is room to take it out), SystemExit silent,
 * its globals left for the REPL. MicroPython printing the exception is
 * what lets a main.py that fills the heap end in `MemoryError:` and a prompt, as on a board: handing the
 * exception to JavaScript needs heap, and with none the VM trapped and the board fell silent. The source comes
 * from a global, so that the code that runs it keeps no copy of it on the heap once it is compiled.
 */
function programFileCode(name: string): string {
	return [
		'def _heaptop_program():',
		'    import js',
		'    try:',
		`        code = compile(getattr(js, '${PROGRAM_SOURCE_HOOK}'), '${name}', 'exec')`,
		'        exec(code, globals())',
		'    except SystemExit:',
		'        pass',
		'    except BaseException as error:',
		'        import sys',
		'        try:',
		'            import io',
		'            text = io.StringIO()',
		'            sys.print_exception(error, text)',
		"            lines = text.getvalue().split('\\n')",
		"            if len(lines) > 2 and lines[1].endswith(', in _heaptop_program'):",
		'                del lines[1]',
		"            print('\\n'.join(lines), end='')",
		'        except MemoryError:',
		'            sys.print_exception(error)',
		'_heaptop_program()',
		'del _heaptop_program',
		'',
	].join('\n');
}

/** Creates the console; `write` sends bytes to the wire. */
export function createVirtualConsole(
	vm: ConsoleVm,
	write: (bytes: Uint8Array) => void,
	options: VirtualConsoleOptions = {},
): VirtualConsole {
	const offerRawPaste = options.rawPaste ?? true;
	const flavour = options.flavour ?? 'micropython';
	const circuitPython = flavour === 'circuitpython';
	const shim =
		boardShimCode +
		(options.rawOutputHook === undefined ? '' : rawStdoutShimCode(options.rawOutputHook)) +
		flavourShimCode(flavour);
	// CircuitPython after code.py: "Press any key to enter the REPL"; the next byte is taken, not typed.
	let waitingForKey = false;
	// While the port prints its own banner, for CircuitPython's to replace it.
	let hideVm = false;
	const windowBytes = options.rawPasteWindowBytes ?? 128;
	const outputTail = new ByteTail(32);
	let previousOut = 0;
	let raw = false;
	let rawBufferEmpty = false;
	// `\x05` and `A` held back while deciding whether they start a raw-paste request.
	let held: number[] = [];
	let paste: number[] | undefined;

	function out(bytes: Uint8Array, rawBytes = false): void {
		if (hideVm) return;
		if (rawBytes) {
			// Binary from sys.stdout.buffer: neither cooked nor read as prompts.
			if (bytes.length > 0) write(bytes);
			previousOut = bytes[bytes.length - 1] ?? previousOut;
			return;
		}
		const cooked: number[] = [];
		for (const byte of bytes) {
			if (bannerNewline > 0) {
				const expected = bannerNewline === 2 ? 0x0d : 0x0a;
				bannerNewline = byte === expected ? bannerNewline - 1 : 0;
				if (byte === expected) continue;
			}
			outputTail.push(byte);
			if (outputTail.endsWith(RAW_BANNER) || (raw && outputTail.endsWith(RAW_FRAME_END))) {
				raw = true;
				rawBufferEmpty = true;
			} else if (outputTail.endsWith(FRIENDLY_PROMPT)) {
				raw = false;
			}
			if (byte === 0x0a && previousOut !== 0x0d) cooked.push(0x0d);
			cooked.push(byte);
			previousOut = byte;
		}
		if (cooked.length > 0) write(new Uint8Array(cooked));
	}

	function feed(byte: number): void {
		// CircuitPython builds a new VM each time the REPL changes mode (Ctrl-A at the friendly prompt, Ctrl-B in
		// the raw one): the globals go.
		if (circuitPython && ((byte === 0x01 && !raw) || (byte === 0x02 && raw))) freshVm();
		if (raw) {
			if (byte === 0x03 || byte === 0x01) rawBufferEmpty = true;
			else if (byte !== 0x04 && byte !== 0x02) rawBufferEmpty = false;
		}
		if (vm.replProcessChar(byte)) softReset();
	}

	// The shim's own garbage (its dir() lists, the code it compiled) is collected at once: this port collects only
	// as a call returns, so left there it would be free room a full heap suddenly finds later.
	// The console's own code is uninterruptible: a Ctrl-C sent while it runs (a client that opens the port as the
	// board starts, or right after a soft reset) would leave it half done, a board with another heap.
	const internal = { uninterruptible: true };
	function runShim(): void {
		vm.exec(shim, internal);
		vm.exec("__import__('gc').collect()", internal);
	}

	// Found at start; through exec where the VM cannot hand out a function (then a full heap stays full).
	let resetCall = (): unknown => vm.exec(`${SOFT_RESET}()`, internal);
	function defineSoftReset(): void {
		vm.exec(softResetCode, internal);
		const call = vm.mainFunction?.(SOFT_RESET);
		if (call) resetCall = call;
	}

	function freshVm(): void {
		resetCall();
		runShim();
	}

	function softReset(): void {
		if (circuitPython) {
			out(asciiBytes('soft reboot\r\n'));
			freshVm();
			// From the friendly REPL CircuitPython runs code.py again; from the raw one it goes straight back.
			if (raw) banner();
			else runCodePy(undefined);
			return;
		}
		out(asciiBytes('MPY: soft reboot\r\n'));
		freshVm();
		banner();
	}

	// The port's banner begins with `\r\n`; a board's begins with `MicroPython`.
	let bannerNewline = 0;
	function banner(): void {
		if (circuitPython && !raw) {
			hideVm = true;
			vm.replInit();
			hideVm = false;
			out(asciiBytes(circuitPythonBanner));
			return;
		}
		bannerNewline = 2;
		vm.replInit();
		bannerNewline = 0;
	}

	/** Runs a board's main.py or CircuitPython's code.py: `programFileCode`, and the port's report when it fails. */
	function runProgramFile(name: string, program: string): void {
		const hooks = globalThis as Record<string, unknown>;
		hooks[PROGRAM_SOURCE_HOOK] = program;
		try {
			const result = vm.exec(programFileCode(name));
			if (!result.ok) out(new TextEncoder().encode(result.exception.traceback));
		} finally {
			delete hooks[PROGRAM_SOURCE_HOOK];
		}
	}

	let codePy = defaultCodePy;
	/** CircuitPython's main loop: code.py's output, then the wait for a key (protocol.md §5). */
	function runCodePy(program: string | undefined): void {
		if (program !== undefined) codePy = program;
		// CircuitPython clears the line first (ESC [2K ESC [0G), which a client must not pass to a terminal.
		out(asciiBytes('\x1b[2K\x1b[0Gcode.py output:\r\n'));
		runProgramFile('code.py', codePy);
		out(
			asciiBytes(
				'\r\nCode done running.\r\n\r\nAuto-reload is off.\r\n\r\nPress any key to enter the REPL. Use CTRL-D to reload.\r\n',
			),
		);
		waitingForKey = true;
	}

	function keyWhileWaiting(byte: number): void {
		waitingForKey = false;
		if (byte === 0x04) {
			out(asciiBytes('soft reboot\r\n'));
			freshVm();
			runCodePy(undefined);
			return;
		}
		// Any other key enters the REPL with a fresh VM; the key itself is consumed.
		freshVm();
		raw = false;
		banner();
	}

	function runPasted(code: number[]): void {
		const bytes = code.filter((byte) => byte !== 0x01 && byte !== 0x02 && byte !== 0x05);
		const text = new TextDecoder().decode(new Uint8Array(bytes));
		const result = vm.exec(text.trim() ? text : 'pass');
		if (!result.ok && result.exception.type === 'SystemExit') {
			// As the raw REPL does on sys.exit(): the frame ends empty, then the board soft-reboots.
			out(asciiBytes('\x04\x04'));
			softReset();
			return;
		}
		out(asciiBytes('\x04'));
		if (!result.ok) out(new TextEncoder().encode(result.exception.traceback));
		out(asciiBytes('\x04>'));
	}

	function pasteByte(byte: number, data: number[]): void {
		if (byte === 0x04 || byte === 0x03) {
			paste = undefined;
			// End of data (or Ctrl-C): acknowledge with `\x04`, then the frame `stdout \x04 exception \x04 >`.
			write(new Uint8Array([0x04]));
			runPasted(byte === 0x04 ? data : Array.from(asciiBytes('raise KeyboardInterrupt')));
			return;
		}
		data.push(byte);
		// One more window of credit each time a window's worth has been taken in.
		if (data.length % windowBytes === 0) write(new Uint8Array([0x01]));
	}

	function startPaste(): void {
		if (!offerRawPaste) {
			// Firmware before v1.14: `\x05` and `A` are code, Ctrl-A discards them and prints the banner again.
			feed(0x01);
			return;
		}
		paste = [];
		write(new Uint8Array([0x52, 0x01, windowBytes & 0xff, windowBytes >> 8, 0x01]));
	}

	return {
		input(bytes) {
			for (const byte of bytes) {
				if (waitingForKey) {
					keyWhileWaiting(byte);
					continue;
				}
				if (paste) {
					pasteByte(byte, paste);
					continue;
				}
				if (held.length > 0) {
					if (held.length === 1 && byte === 0x41) {
						held.push(byte);
						continue;
					}
					if (held.length === 2 && byte === 0x01) {
						held = [];
						startPaste();
						continue;
					}
					const pending = held;
					held = [];
					for (const heldByte of pending) feed(heldByte);
				}
				if (raw && rawBufferEmpty && byte === 0x05) {
					held = [byte];
					continue;
				}
				feed(byte);
			}
		},
		vmOutput(bytes, raw) {
			out(bytes, raw);
		},
		start(mainProgram) {
			defineSoftReset();
			runShim();
			if (circuitPython) {
				runCodePy(mainProgram);
				return;
			}
			if (mainProgram !== undefined) runProgramFile('main.py', mainProgram);
			banner();
		},
	};
}
