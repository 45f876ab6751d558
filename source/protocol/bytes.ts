/**
 * Small byte helpers for the protocol code. Board output is matched as bytes, never decoded first: a ROM boot
 * log or a half-sent UTF-8 character must not stop a suffix from matching (protocol.md §9.1).
 */

/** Bytes of an ASCII/Latin-1 string, one byte per character. */
export function asciiBytes(text: string): Uint8Array {
	const bytes = new Uint8Array(text.length);
	for (let index = 0; index < text.length; index++) bytes[index] = text.charCodeAt(index) & 0xff;
	return bytes;
}

/** A Latin-1 string of bytes, one character per byte, so no byte is lost or merged. */
export function latin1Text(bytes: Uint8Array): string {
	let text = '';
	for (let start = 0; start < bytes.length; start += 8192) {
		text += String.fromCharCode(...bytes.subarray(start, start + 8192));
	}
	return text;
}

/** Joins byte arrays into one. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
	let length = 0;
	for (const part of parts) length += part.length;
	const joined = new Uint8Array(length);
	let offset = 0;
	for (const part of parts) {
		joined.set(part, offset);
		offset += part.length;
	}
	return joined;
}

/** True when `bytes` ends with `suffix`. */
export function endsWithBytes(bytes: Uint8Array, suffix: Uint8Array): boolean {
	if (suffix.length > bytes.length) return false;
	const offset = bytes.length - suffix.length;
	for (let index = 0; index < suffix.length; index++) {
		if (bytes[offset + index] !== suffix[index]) return false;
	}
	return true;
}

/** Index of the first occurrence of `needle` in `bytes`, or -1. */
export function indexOfBytes(bytes: Uint8Array, needle: Uint8Array, from = 0): number {
	const last = bytes.length - needle.length;
	outer: for (let start = from; start <= last; start++) {
		for (let index = 0; index < needle.length; index++) {
			if (bytes[start + index] !== needle[index]) continue outer;
		}
		return start;
	}
	return -1;
}

/**
 * A growable byte buffer: appending a byte at a time (as the state machine does) stays linear, where joining
 * `Uint8Array`s would be quadratic on a 300 kB dump.
 */
export class ByteBuffer {
	private data = new Uint8Array(256);
	private size = 0;

	/** Number of bytes held. */
	get length(): number {
		return this.size;
	}

	/** Appends one byte. */
	push(byte: number): void {
		if (this.size === this.data.length) this.reserve(1);
		this.data[this.size++] = byte;
	}

	/** Appends bytes. */
	append(bytes: Uint8Array): void {
		if (this.size + bytes.length > this.data.length) this.reserve(bytes.length);
		this.data.set(bytes, this.size);
		this.size += bytes.length;
	}

	/** Room for `extra` more bytes, doubling, so that growth stays linear however the bytes come. */
	private reserve(extra: number): void {
		let capacity = this.data.length * 2;
		while (capacity < this.size + extra) capacity *= 2;
		const bigger = new Uint8Array(capacity);
		bigger.set(this.data.subarray(0, this.size));
		this.data = bigger;
	}

	/** A copy of the bytes held. */
	bytes(): Uint8Array {
		return this.data.slice(0, this.size);
	}

	/** A copy of the bytes held from `start` on. */
	bytesFrom(start: number): Uint8Array {
		return this.data.slice(Math.max(0, Math.min(start, this.size)), this.size);
	}

	/** True when the bytes held end with `suffix`. */
	endsWith(suffix: Uint8Array): boolean {
		return endsWithBytes(this.data.subarray(0, this.size), suffix);
	}

	/** Forgets everything held. */
	clear(): void {
		this.size = 0;
	}
}

/**
 * The last few bytes seen, for matching prompts and banners by suffix across chunk boundaries without
 * keeping the whole stream.
 */
export class ByteTail {
	// A ring: `start` is the oldest byte. Called for every byte a board sends, so it neither moves the bytes
	// held nor allocates: shifting 64 bytes and a subarray for each test were most of reading a dump's frame.
	private readonly data: Uint8Array;
	private start = 0;
	private size = 0;

	constructor(private readonly capacity: number) {
		this.data = new Uint8Array(capacity);
	}

	/** Appends one byte, dropping the oldest when full. */
	push(byte: number): void {
		if (this.size < this.capacity) {
			this.data[(this.start + this.size++) % this.capacity] = byte;
		} else {
			this.data[this.start] = byte;
			this.start = (this.start + 1) % this.capacity;
		}
	}

	/**
	 * Appends bytes, as `push` does each of them, but copied in at most two pieces: a dump's lines come here a
	 * run at a time, and a push a byte was most of the time a first snapshot's reading took.
	 */
	append(bytes: Uint8Array): void {
		const { capacity } = this;
		if (bytes.length >= capacity) {
			this.data.set(bytes.subarray(bytes.length - capacity));
			this.start = 0;
			this.size = capacity;
			return;
		}
		// The next byte goes after the newest, which when full is where the oldest is; the rest wraps to 0.
		const at = (this.start + this.size) % capacity;
		const first = Math.min(bytes.length, capacity - at);
		this.data.set(bytes.subarray(0, first), at);
		this.data.set(bytes.subarray(first), 0);
		const held = this.size + bytes.length;
		if (held > capacity) this.start = (this.start + held - capacity) % capacity;
		this.size = Math.min(held, capacity);
	}

	/** True when the bytes seen end with `suffix`. */
	endsWith(suffix: Uint8Array): boolean {
		if (suffix.length > this.size) return false;
		const from = this.start + this.size - suffix.length;
		for (let index = 0; index < suffix.length; index++) {
			if (this.data[(from + index) % this.capacity] !== suffix[index]) return false;
		}
		return true;
	}

	/** Forgets everything seen. */
	clear(): void {
		this.start = 0;
		this.size = 0;
	}
}
