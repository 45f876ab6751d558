import { parseMemInfo } from '../heap/parse.js';
import { formatBytes } from '../present/format.js';
import { loadVm, type MicroPythonVm } from '../sources/micropython-vm.js';
import type { MeasureTarget } from './target.js';

/** A MeasureTarget on a fresh emulated board of `heapBytes`; `close` drops the VM. */
export async function createEmulatorTarget(
	heapBytes: number,
): Promise<MeasureTarget & { close(): void; vm: MicroPythonVm }> {
	let output = '';
	const vm = await loadVm({
		heapBytes,
		onOutput: (bytes) => {
			output += Buffer.from(bytes).toString('utf8');
		},
	});
	const snapshot = () => {
		const parsed = parseMemInfo(vm.memInfo());
		if (!parsed.ok) throw new Error(`the emulator's mem_info did not parse: ${parsed.error.message}`);
		return parsed.snapshot;
	};
	// The heap's size as the screen words it: the GC's total, not the bytes handed to the VM, of which the GC
	// keeps its own tables.
	const totalBytes = snapshot().gc.totalBytes;
	return {
		vm,
		describe: () => `emulated MicroPython · heap ${formatBytes(totalBytes)}`,
		async exec(code) {
			output = '';
			const result = vm.exec(code);
			const printed = output;
			output = '';
			return result.ok ? { output: printed } : { output: printed, exception: result.exception };
		},
		async collect() {
			vm.collect();
		},
		snapshot: async () => snapshot(),
		// In-process, a whole dump costs next to nothing.
		usedBytes: async () => snapshot().gc.usedBytes,
		close: () => vm.close(),
	};
}
