/**
 * The virtual board's input line: a ring of bytes on a SharedArrayBuffer, written by the thread that owns the
 * wire and read by the VM's worker thread. It exists because Python on a board reads its UART while it runs
 * (`sys.stdin.buffer.readinto`, as mpremote's `mount` does for its remote file system), and a worker busy
 * running Python never reads its messages: the ring is read synchronously from inside the VM, and the reader
 * sleeps with `Atomics.wait` until bytes come.
 *
 * Positions count bytes written (or read) since the start, as 32-bit integers that wrap; the capacity is a
 * power of two, so a position masked by `capacity - 1` is its index.
 */

const writeSlot = 0;
const readSlot = 1;
const headerBytes = 8;

/** Makes the shared memory of a ring holding `capacityBytes` (rounded up to a power of two). */
export function createInputRing(capacityBytes = 1 << 20): SharedArrayBuffer {
	let capacity = 1024;
	while (capacity < capacityBytes) capacity *= 2;
	return new SharedArrayBuffer(headerBytes + capacity);
}

/** `a - b` between two wrapping positions. */
export function positionsApart(a: number, b: number): number {
	return (a - b) | 0;
}

/** The writing end (the wire's thread). */
export type InputRingWriter = {
	/** Appends all of `bytes`, or nothing when they do not fit yet. Returns the position of the first byte. */
	write(bytes: Uint8Array): number | undefined;
};

/** The reading end (the VM's thread). */
export type InputRingReader = {
	/** The position of the next byte to read. */
	readonly position: number;
	/** Bytes written and not read yet. */
	available(): number;
	/** The byte at `offset` past the read position, without taking it (`offset < available()`). */
	peek(offset: number): number;
	/** Takes up to `maxBytes` bytes. */
	take(maxBytes: number): Uint8Array;
	/** Drops bytes up to `position` (a later one than the read position); nothing when it is behind. */
	skipTo(position: number): void;
	/** Sleeps until a byte is written or `timeoutMs` passes (-1: no limit); true when bytes are waiting. */
	wait(timeoutMs: number): boolean;
};

function views(memory: SharedArrayBuffer): { header: Int32Array; data: Uint8Array; mask: number } {
	const header = new Int32Array(memory, 0, 2);
	const data = new Uint8Array(memory, headerBytes);
	return { header, data, mask: data.length - 1 };
}

/** The writing end of the ring on `memory`. */
export function inputRingWriter(memory: SharedArrayBuffer): InputRingWriter {
	const { header, data, mask } = views(memory);
	return {
		write(bytes) {
			const written = Atomics.load(header, writeSlot);
			const used = positionsApart(written, Atomics.load(header, readSlot));
			if (used + bytes.length > data.length) return undefined;
			for (let index = 0; index < bytes.length; index++) data[(written + index) & mask] = bytes[index] ?? 0;
			// The store publishes the bytes (Atomics are sequentially consistent), the notify wakes a reader.
			Atomics.store(header, writeSlot, (written + bytes.length) | 0);
			Atomics.notify(header, writeSlot);
			return written;
		},
	};
}

/** The reading end of the ring on `memory`. Only one thread may read. */
export function inputRingReader(memory: SharedArrayBuffer): InputRingReader {
	const { header, data, mask } = views(memory);
	const available = () => positionsApart(Atomics.load(header, writeSlot), Atomics.load(header, readSlot));
	return {
		get position() {
			return Atomics.load(header, readSlot);
		},
		available,
		peek(offset) {
			return data[(Atomics.load(header, readSlot) + offset) & mask] ?? 0;
		},
		take(maxBytes) {
			const count = Math.max(0, Math.min(maxBytes, available()));
			const read = Atomics.load(header, readSlot);
			const bytes = new Uint8Array(count);
			for (let index = 0; index < count; index++) bytes[index] = data[(read + index) & mask] ?? 0;
			Atomics.store(header, readSlot, (read + count) | 0);
			return bytes;
		},
		skipTo(position) {
			const read = Atomics.load(header, readSlot);
			const ahead = positionsApart(position, read);
			if (ahead > 0) Atomics.store(header, readSlot, (read + Math.min(ahead, available())) | 0);
		},
		wait(timeoutMs) {
			const written = Atomics.load(header, writeSlot);
			if (positionsApart(written, Atomics.load(header, readSlot)) > 0) return true;
			if (timeoutMs === 0) return false;
			Atomics.wait(header, writeSlot, written, timeoutMs < 0 ? Number.POSITIVE_INFINITY : timeoutMs);
			return available() > 0;
		},
	};
}
