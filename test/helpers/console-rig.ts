import { asciiBytes, concatBytes, latin1Text } from '../../source/protocol/bytes.js';
import { loadVm } from '../../source/sources/micropython-vm.js';
import { type BoardFlavour, createVirtualConsole } from '../../source/sources/virtual-console.js';

/**
 * The virtual board's console on the real VM, as the board's worker builds it, without the worker or a pty:
 * `started` is what it printed at start (after `mainProgram`), `send` types and returns the answer.
 */
export async function consoleRig(flavour: BoardFlavour, mainProgram?: string) {
	const written: Uint8Array[] = [];
	let board: ReturnType<typeof createVirtualConsole> | undefined;
	const growable = flavour === 'circuitpython';
	const vm = await loadVm({
		heapBytes: 32 * 1024,
		...(growable ? { growable: true, maxNewSplitBytes: 128 * 1024 } : {}),
		boardErrnos: true,
		onOutput: (bytes) => board?.vmOutput(bytes),
	});
	board = createVirtualConsole(vm, (bytes) => written.push(bytes), { flavour });
	const take = () => {
		const text = latin1Text(concatBytes(written));
		written.length = 0;
		return text;
	};
	board.start(mainProgram);
	const started = take();
	const send = (text: string) => {
		board?.input(asciiBytes(text));
		return take();
	};
	return { vm, started, send };
}
