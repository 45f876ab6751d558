import { asciiBytes, ByteTail } from '../protocol/bytes.js';

/**
 * The serial console of the virtual board: what sits between the wire and MicroPython's own REPL (pyexec,
 * friendly, raw and raw-paste, run by the WebAssembly VM). It adds only what a real board's port adds and the
 * WebAssembly port lacks:
 *
 * - Output is "cooked": a bare `\n` from Python goes out as `\r\n`, as a board's HAL does (protocol.md §1).
 * - Raw-paste (§3.5): the WebAssembly port has no stdin (`mp_hal_stdin_rx_chr()` is 0), so MicroPython's own
 *   raw-paste reader would read NULs forever. The console speaks the raw-paste flow control itself and hands
 *   the finished code to the VM's raw REPL as a classic raw command, dropping its `OK` (which raw-paste lacks).
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
	exec(code: string): { ok: true } | { ok: false; exception: { type: string; traceback: string } };
};

/** How the console behaves. */
export type VirtualConsoleOptions = {
	/** Offer raw-paste (MicroPython ≥ v1.14). Default true. */
	rawPaste?: boolean;
	/** Window increment advertised in raw-paste mode. Default 128, as on most boards. */
	rawPasteWindowBytes?: number;
};

/** The console. `vmOutput` must receive everything the VM prints. */
export type VirtualConsole = {
	/** Bytes from the wire (the host). */
	input(bytes: Uint8Array): void;
	/** Bytes the VM printed. */
	vmOutput(bytes: Uint8Array): void;
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

// What a board's main loop does on soft reset, short of a new heap: forget mounts, the working directory, every
// global and module.
const softResetCode = [
	'def _heaptop_soft_reset():',
	'    import gc, sys',
	"    os = sys.modules.get('os')",
	'    if os:',
	"        for point in reversed(getattr(os, '_heaptop_mounts', [])):",
	'            try:',
	'                os.umount(point)',
	'            except OSError:',
	'                pass',
	"        os.chdir('/')",
	'    g = globals()',
	"    for k in [k for k in g if k[:2] != '__']:",
	'        del g[k]',
	'    for m in list(sys.modules):',
	'        del sys.modules[m]',
	'    gc.collect()',
	'_heaptop_soft_reset()',
	'',
].join('\n');

/** Creates the console; `write` sends bytes to the wire. */
export function createVirtualConsole(
	vm: ConsoleVm,
	write: (bytes: Uint8Array) => void,
	options: VirtualConsoleOptions = {},
): VirtualConsole {
	const offerRawPaste = options.rawPaste ?? true;
	const windowBytes = options.rawPasteWindowBytes ?? 128;
	const outputTail = new ByteTail(32);
	let previousOut = 0;
	let raw = false;
	let rawBufferEmpty = false;
	// `\x05` and `A` held back while deciding whether they start a raw-paste request.
	let held: number[] = [];
	let paste: number[] | undefined;
	let swallowOk = 0;

	function out(bytes: Uint8Array): void {
		const cooked: number[] = [];
		for (const byte of bytes) {
			if (bannerNewline > 0) {
				const expected = bannerNewline === 2 ? 0x0d : 0x0a;
				bannerNewline = byte === expected ? bannerNewline - 1 : 0;
				if (byte === expected) continue;
			}
			if (swallowOk > 0) {
				swallowOk--;
				// `OK` of the classic raw command that stands in for raw-paste; raw-paste has none.
				if ((swallowOk === 1 && byte === 0x4f) || (swallowOk === 0 && byte === 0x4b)) continue;
				swallowOk = 0;
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
		if (raw) {
			if (byte === 0x03 || byte === 0x01) rawBufferEmpty = true;
			else if (byte !== 0x04 && byte !== 0x02) rawBufferEmpty = false;
		}
		if (vm.replProcessChar(byte)) softReset();
	}

	function softReset(): void {
		out(asciiBytes('MPY: soft reboot\r\n'));
		vm.exec(softResetCode);
		vm.exec(boardShimCode);
		banner();
	}

	// The port's banner begins with `\r\n`; a board's begins with `MicroPython`.
	let bannerNewline = 0;
	function banner(): void {
		bannerNewline = 2;
		vm.replInit();
		bannerNewline = 0;
	}

	function runAsClassic(code: number[]): void {
		// Never an empty buffer: Ctrl-D on it would be a soft reset, which raw-paste of nothing is not.
		const bytes = code.filter((byte) => byte !== 0x01 && byte !== 0x02 && byte !== 0x05);
		const body = bytes.length > 0 ? bytes : Array.from(asciiBytes('pass'));
		swallowOk = 2;
		for (const byte of body) feed(byte);
		feed(0x04);
	}

	function pasteByte(byte: number, data: number[]): void {
		if (byte === 0x04 || byte === 0x03) {
			paste = undefined;
			// End of data (or Ctrl-C): acknowledge with `\x04`, then the frame `stdout \x04 exception \x04 >`.
			write(new Uint8Array([0x04]));
			runAsClassic(byte === 0x04 ? data : Array.from(asciiBytes('raise KeyboardInterrupt')));
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
		vmOutput(bytes) {
			out(bytes);
		},
		start(mainProgram) {
			vm.exec(boardShimCode);
			if (mainProgram !== undefined) {
				const result = vm.exec(mainProgram);
				if (!result.ok) out(new TextEncoder().encode(result.exception.traceback));
			}
			banner();
		},
	};
}
