import { loadMicroPython } from '@micropython/micropython-webassembly-pyscript';

/** Python that fragments the heap: objects of mixed kinds and sizes, every other one dropped, then a collect. */
const FRAGMENT = `
import gc
keep = []
drop = []
for i in range(9000):
    keep.append(bytearray(48 + (i % 9) * 40))
    drop.append([i] * (1 + i % 6))
    keep.append((i, str(i) * (1 + i % 4)))
    drop.append(bytearray(200 + (i % 13) * 32))
    keep.append({'n': i})
drop = None
gc.collect()
`;

/**
 * Makes a real `mem_info(1)` dump of an 8 MiB heap from the MicroPython VM, fragmented by FRAGMENT.
 * Returns the dump's text exactly as the VM printed it.
 */
export async function makeBigDump(heapBytes = 8 * 1024 * 1024): Promise<string> {
	const bytes: number[] = [];
	const vm = await loadMicroPython({
		heapsize: heapBytes,
		linebuffer: false,
		stdout: (data: Uint8Array) => {
			for (const byte of data) bytes.push(byte);
		},
	});
	vm.runPython(FRAGMENT);
	bytes.length = 0;
	const memInfo = vm.pyimport('micropython').mem_info as (level: number) => void;
	memInfo(1);
	return Buffer.from(bytes).toString('latin1');
}
