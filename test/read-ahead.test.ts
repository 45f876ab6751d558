import assert from 'node:assert/strict';
import { fstatSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { readAhead } from '../source/commands/read-ahead.js';

const dir = mkdtempSync(join(tmpdir(), 'heaptop-read-ahead-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const isOpen = (fd: number) => {
	try {
		fstatSync(fd);
		return true;
	} catch {
		return false;
	}
};

describe('readAhead: a file in chunks, the next read under way', () => {
	const bytes = Buffer.from(Array.from({ length: 10_000 }, (_, index) => (index * 7) % 251));
	const path = join(dir, 'file');
	writeFileSync(path, bytes);

	test('gives the whole file in order, chunks no longer than asked and each its own buffer, then closes it', async () => {
		const fd = openSync(path, 'r');
		const chunks: Buffer[] = [];
		for await (const chunk of readAhead(fd, 4096)) chunks.push(chunk);
		assert.deepEqual(
			chunks.map((chunk) => chunk.length),
			[4096, 4096, 1808],
		);
		assert.ok(chunks.every((chunk, index) => index === 0 || chunk.buffer !== chunks[0]?.buffer));
		assert.deepEqual(Buffer.concat(chunks), bytes);
		assert.equal(isOpen(fd), false);
	});

	test('an empty file gives nothing and is closed', async () => {
		const empty = join(dir, 'empty');
		writeFileSync(empty, '');
		const fd = openSync(empty, 'r');
		let count = 0;
		for await (const _ of readAhead(fd, 4096)) count++;
		assert.equal(count, 0);
		assert.equal(isOpen(fd), false);
	});

	test('a caller that stops early: the read in flight settles, then the file is closed', async () => {
		const fd = openSync(path, 'r');
		for await (const chunk of readAhead(fd, 1000)) {
			assert.equal(chunk.length, 1000);
			break;
		}
		assert.equal(isOpen(fd), false);
	});

	test('a read that fails (a folder opened as a file) rejects, and the descriptor is closed', async () => {
		const fd = openSync(dir, 'r');
		await assert.rejects(
			(async () => {
				for await (const _ of readAhead(fd, 1000)) {
					// nothing comes
				}
			})(),
			{ code: 'EISDIR' },
		);
		assert.equal(isOpen(fd), false);
	});
});
