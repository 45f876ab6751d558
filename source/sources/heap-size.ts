/**
 * Heap sizes as people write them on the command line (`192k`, `1m`, `65536`), for `--heap`.
 */

/**
 * The heap the emulator hands to the VM by default: 192 KiB, which the GC reports as `GC: total: 192064`,
 * the figure a Raspberry Pi Pico prints (test/fixtures/mem_info/rp2040-pico-tutorial-pre1.20-mem_info1.txt).
 */
export const picoHeapBytes = 192 * 1024;

/** Smallest and largest heaps the emulator accepts. */
export const minEmulatorHeapBytes = 8 * 1024;
export const maxEmulatorHeapBytes = 256 * 1024 * 1024;

/** A parsed size, or the one-line reason it is not one. */
export type HeapSizeResult = { ok: true; bytes: number } | { ok: false; message: string };

const SIZE = /^(\d+(?:\.\d+)?)\s*(k|m|kb|mb|kib|mib|b)?$/i;

/** Parses `65536`, `64k`, `192K`, `1m`, `1.5m`, `64KiB`: k and m are 1,024 and 1,048,576, as in MicroPython. */
export function parseHeapSize(text: string): HeapSizeResult {
	const match = SIZE.exec(text.trim());
	const number = match?.[1];
	if (!match || number === undefined) {
		return { ok: false, message: `"${text}" is not a heap size; write it like 65536, 64k or 1m` };
	}
	const unit = (match[2] ?? 'b').toLowerCase();
	const scale = unit.startsWith('k') ? 1024 : unit.startsWith('m') ? 1024 * 1024 : 1;
	const bytes = Math.round(Number(number) * scale);
	if (bytes < minEmulatorHeapBytes) {
		return { ok: false, message: `a heap of ${text} is too small; the emulator needs at least 8k` };
	}
	if (bytes > maxEmulatorHeapBytes) {
		return { ok: false, message: `a heap of ${text} is too big; the emulator takes at most 256m` };
	}
	return { ok: true, bytes };
}
