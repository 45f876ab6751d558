import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ByteBuffer, ByteTail, endsWithBytes } from '../source/protocol/bytes.js';

/** A small generator with a seed, so that a failure names the run that shows it. */
function random(seed: number): () => number {
	let state = seed;
	return () => {
		state = (state * 1103515245 + 12345) % 2 ** 31;
		return state / 2 ** 31;
	};
}

test('the tail answers as the last bytes kept whole would, across wrapping, clearing and long suffixes', () => {
	const capacity = 8;
	for (let seed = 1; seed <= 50; seed++) {
		const next = random(seed);
		const tail = new ByteTail(capacity);
		let kept: number[] = [];
		for (let step = 0; step < 400; step++) {
			if (next() < 0.01) {
				tail.clear();
				kept = [];
				continue;
			}
			// Few distinct bytes, so that suffixes match often and a wrong order shows; now and then a run at once,
			// shorter or longer than the tail.
			if (next() < 0.1) {
				const run = Array.from({ length: Math.floor(next() * 2 * capacity) }, () => Math.floor(next() * 3));
				tail.append(Uint8Array.from(run));
				kept = [...kept, ...run].slice(-capacity);
			} else {
				const byte = Math.floor(next() * 3);
				tail.push(byte);
				kept = [...kept, byte].slice(-capacity);
			}
			for (let length = 0; length <= capacity + 1; length++) {
				const suffix = Uint8Array.from({ length }, () => Math.floor(next() * 3));
				// Half of the suffixes are the true ending, so that "true" is tested as often as "false".
				const tried =
					next() < 0.5 && length <= kept.length ? Uint8Array.from(kept.slice(kept.length - length)) : suffix;
				const expected = endsWithBytes(Uint8Array.from(kept), tried);
				assert.equal(tail.endsWith(tried), expected, `seed ${seed}, step ${step}, suffix [${tried}]`);
			}
		}
	}
});

test('the buffer holds every byte pushed or appended, in order, however long the runs and however it grows', () => {
	for (let seed = 1; seed <= 30; seed++) {
		const next = random(seed);
		const buffer = new ByteBuffer();
		let kept: number[] = [];
		for (let step = 0; step < 60; step++) {
			if (next() < 0.05) {
				buffer.clear();
				kept = [];
			} else if (next() < 0.5) {
				const byte = Math.floor(next() * 256);
				buffer.push(byte);
				kept.push(byte);
			} else {
				// Runs from empty to several times the buffer's first size, so that one append outgrows a doubling.
				const run = Array.from({ length: Math.floor(next() ** 3 * 3000) }, () => Math.floor(next() * 256));
				buffer.append(Uint8Array.from(run));
				kept.push(...run);
			}
			assert.equal(buffer.length, kept.length, `seed ${seed}, step ${step}`);
		}
		assert.deepEqual([...buffer.bytes()], kept, `seed ${seed}`);
		const from = Math.floor(kept.length / 3);
		assert.deepEqual([...buffer.bytesFrom(from)], kept.slice(from), `seed ${seed}: from ${from}`);
	}
});
