import { Writable } from 'node:stream';

/** A stream that keeps what is written to it, as a terminal (`isTTY`) or not: for output paths that ask. */
export function keptStream(isTTY = false): Writable & { isTTY: boolean; text: () => string } {
	const chunks: string[] = [];
	const out = new Writable({
		write(chunk, _encoding, done) {
			chunks.push(String(chunk));
			done();
		},
	});
	return Object.assign(out, { isTTY, text: () => chunks.join('') });
}
