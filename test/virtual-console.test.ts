import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { concatBytes, latin1Text } from '../source/protocol/bytes.js';
import { createInterruptFlag, loadVm, type MicroPythonVm, raiseInterrupt } from '../source/sources/micropython-vm.js';
import { createVirtualConsole, type VirtualConsole } from '../source/sources/virtual-console.js';
import { transcriptStep } from './helpers/transcripts.js';

/*
 * The virtual board's console against the real firmware: the same bytes in, the same bytes out, for the
 * exchanges whose answer does not depend on the port (banner text, addresses and heap figures do).
 */

type Rig = { console: VirtualConsole; vm: MicroPythonVm; take: () => Uint8Array };

(globalThis as Record<string, unknown>).heaptopTestRawOutput = () => undefined;

async function rig(
	options: { rawPaste?: boolean; interruptFlag?: Int32Array; rawOutputHook?: string } = {},
): Promise<Rig> {
	const written: Uint8Array[] = [];
	let board: VirtualConsole | undefined;
	const { interruptFlag, ...consoleOptions } = options;
	const vm = await loadVm({
		heapBytes: 64 * 1024,
		onOutput: (bytes) => board?.vmOutput(bytes),
		...(interruptFlag ? { interruptFlag } : {}),
	});
	board = createVirtualConsole(vm, (bytes) => written.push(bytes), consoleOptions);
	board.start();
	const take = () => {
		const bytes = concatBytes(written);
		written.length = 0;
		return bytes;
	};
	take();
	return { console: board, vm, take };
}

const A = 'qemu_mps2_an385.txt';
const C = 'qemu_mps2_an385_c.txt';
const D = 'qemu_mps2_an385_d.txt';

describe('the virtual console answers as the real firmware does', { timeout: 60_000 }, () => {
	let board: Rig;
	before(async () => {
		board = await rig();
		board.console.input(transcriptStep(A, 'enter raw').send);
		board.take();
	});
	after(() => board.vm.close());

	const sameBytes: [string, string][] = [
		[A, 'exec print'],
		[A, 'exec exception'],
		[A, 'exec stdout+exception'],
		[A, 'syntax error raw'],
		[A, 'empty ctrl-c clears line'],
		[C, 'stdout without newline'],
		[C, 'print containing 0x04 byte'],
		[D, 'print to stderr'],
		[A, 'raw-paste enter'],
		[A, 'raw-paste code+end'],
		[A, 'raw-paste enter 2'],
		[A, 'raw-paste syntax err'],
		[A, 'raw-paste unsupported cmd'],
		[C, 'ctrl-a resets raw REPL (discard line)'],
	];
	for (const [file, title] of sameBytes) {
		test(`${title}: byte for byte what the qemu firmware sent`, () => {
			const step = transcriptStep(file, title);
			board.console.input(step.send);
			assert.equal(JSON.stringify(latin1Text(board.take())), JSON.stringify(latin1Text(step.recv)));
		});
	}
});

describe('what the console adds to the WebAssembly port', { timeout: 60_000 }, () => {
	test('firmware without raw-paste answers the request with the raw banner, as before v1.14', async () => {
		const board = await rig({ rawPaste: false });
		try {
			board.console.input(transcriptStep(A, 'enter raw').send);
			board.take();
			board.console.input(transcriptStep(A, 'raw-paste enter').send);
			assert.equal(
				latin1Text(board.take()),
				latin1Text(transcriptStep(C, 'ctrl-a resets raw REPL (discard line)').recv),
			);
		} finally {
			board.vm.close();
		}
	});

	test('Ctrl-D on an empty raw buffer soft-resets: the banner of the real firmware, and globals are gone', async () => {
		const board = await rig();
		try {
			board.console.input(new TextEncoder().encode('kept = 1\r'));
			board.console.input(transcriptStep(A, 'enter raw').send);
			board.take();
			const reset = transcriptStep(A, 'soft reset in raw');
			board.console.input(reset.send);
			assert.equal(latin1Text(board.take()), latin1Text(reset.recv));
			board.console.input(new TextEncoder().encode("print('kept' in globals())\x04"));
			assert.equal(latin1Text(board.take()), 'OKFalse\r\n\x04\x04>');
		} finally {
			board.vm.close();
		}
	});

	test('a Ctrl-C while the console sets the board up (at start, at a soft reset) leaves the board it would have', async () => {
		// A client that opens the port as the board starts sends its Ctrl-C into the console's own setup code;
		// half run, that code left a board with another heap (and another answer for each measurement).
		const freeAfterSetup = async (ctrlC: boolean): Promise<[string, string]> => {
			const flag = createInterruptFlag();
			if (ctrlC) raiseInterrupt(flag);
			// As the worker's console: its sys shim copies the module, the longest of the setup code.
			const board = await rig({ interruptFlag: flag, rawOutputHook: 'heaptopTestRawOutput' });
			try {
				const ask = "import gc\ngc.collect()\nprint(gc.mem_free(), 'ilistdir' in dir(__import__('os')))\x04";
				board.console.input(transcriptStep(A, 'enter raw').send);
				board.take();
				Atomics.store(flag, 0, 0);
				board.console.input(new TextEncoder().encode(ask));
				const atStart = latin1Text(board.take());
				if (ctrlC) raiseInterrupt(flag);
				board.console.input(transcriptStep(A, 'soft reset in raw').send);
				board.take();
				Atomics.store(flag, 0, 0);
				board.console.input(new TextEncoder().encode(ask));
				return [atStart, latin1Text(board.take())];
			} finally {
				board.vm.close();
			}
		};
		assert.deepEqual(await freeAfterSetup(true), await freeAfterSetup(false));
	});

	test('raw-paste code longer than the window gets window credit as it is taken in', async () => {
		const board = await rig();
		try {
			board.console.input(transcriptStep(A, 'enter raw').send);
			board.take();
			board.console.input(transcriptStep(A, 'raw-paste enter').send);
			board.take();
			const code = new TextEncoder().encode(`x = '${'y'.repeat(300)}'\nprint(len(x))`);
			board.console.input(code);
			const credit = board.take();
			assert.deepEqual([...credit], [0x01, 0x01], 'one 0x01 per 128 bytes taken in');
			board.console.input(new Uint8Array([0x04]));
			assert.equal(latin1Text(board.take()), '\x04300\r\n\x04\x04>');
		} finally {
			board.vm.close();
		}
	});
});
