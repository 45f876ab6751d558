/**
 * The size a failed allocation asked for, out of MicroPython's MemoryError message (`m_malloc_fail` in
 * py/runtime.c): `MemoryError: memory allocation failed, allocating 10240 bytes`. Other MemoryErrors
 * (`memory allocation failed, heap is locked`, or one raised by Python code) name no size.
 */
const FAILED = /MemoryError: memory allocation failed, allocating (\d+) bytes/g;

/** The bytes of the last failed allocation named in `text` (a traceback, or a console's output); else undefined. */
export function failedAllocationBytes(text: string): number | undefined {
	let bytes: number | undefined;
	for (const match of text.matchAll(FAILED)) {
		const value = Number(match[1]);
		if (Number.isSafeInteger(value)) bytes = value;
	}
	return bytes;
}
