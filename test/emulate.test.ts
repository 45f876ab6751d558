import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { runEmulate } from '../source/commands/emulate.js';
import { RuntimeFailure } from '../source/commands/errors.js';
import { createBoardSource } from '../source/sources/board.js';

const dir = mkdtempSync(join(tmpdir(), 'heaptop-emulate-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function until(path: string): Promise<void> {
	// The command's pty appears once the board is up.
	while (!existsSync(path)) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('heaptop emulate --pty', { timeout: 60_000 }, () => {
	test('puts a board on the path that a serial client can read, then removes it', { timeout: 30_000 }, async () => {
		const ptyPath = join(dir, 'emulated');
		const lines: string[] = [];
		let finish = () => {};
		const stopped = new Promise<void>((resolve) => {
			finish = resolve;
		});
		const running = runEmulate({ ptyPath, heapBytes: 64 * 1024, log: (line) => lines.push(line), until: stopped });
		await until(ptyPath);
		const source = createBoardSource({ port: ptyPath });
		await source.start();
		const reading = await source.read({ collect: true });
		await source.close();
		finish();
		assert.equal(await running, 0);
		assert.ok(reading);
		assert.ok(
			Math.abs(reading.snapshot.gc.totalBytes - 64 * 1024) < 4096,
			`the heap asked for, not ${reading.snapshot.gc.totalBytes}`,
		);
		assert.match(lines.join('\n'), new RegExp(`virtual board on ${ptyPath}: MicroPython v1\\.27\\.0.*64 KiB heap`));
		assert.equal(existsSync(ptyPath), false, 'the pty is gone after the command ends');
	});

	test('a path that already exists is refused in one line', { timeout: 10_000 }, async () => {
		const ptyPath = join(dir, 'taken');
		writeFileSync(ptyPath, '');
		await assert.rejects(
			runEmulate({ ptyPath, log: () => undefined, until: Promise.resolve() }),
			(error: unknown) => error instanceof RuntimeFailure && /already exists/.test(error.message),
		);
	});
});
