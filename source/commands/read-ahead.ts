import { close, read } from 'node:fs';

/**
 * A file's bytes as chunks, with the next chunk's read already under way while the caller works on this one.
 * A stream reads the next chunk only once this one is taken, so a reader that spends as long on a chunk as the
 * disk or the page cache does waits for every read in turn: for `inspect` of a gigabyte, a fifth of its time.
 * Each chunk is a buffer of its own (callers keep pieces of them). The descriptor is closed at the end, also when
 * the caller stops early or a read fails, after the read in flight has settled.
 */
export async function* readAhead(fd: number, chunkBytes: number): AsyncGenerator<Buffer> {
	const next = () =>
		new Promise<Buffer>((resolve, reject) => {
			const buffer = Buffer.allocUnsafe(chunkBytes);
			read(fd, buffer, 0, chunkBytes, null, (error, bytesRead) =>
				error ? reject(error) : resolve(buffer.subarray(0, bytesRead)),
			);
		});
	let pending: Promise<Buffer> | undefined = next();
	try {
		for (;;) {
			const chunk: Buffer = await pending;
			if (chunk.length === 0) {
				pending = undefined;
				return;
			}
			pending = next();
			yield chunk;
		}
	} finally {
		await pending?.catch(() => undefined);
		await new Promise<void>((resolve) => close(fd, () => resolve()));
	}
}
