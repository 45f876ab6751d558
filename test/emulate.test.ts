import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { runEmulate } from '../source/commands/emulate.js';
import { RuntimeFailure } from '../source/commands/errors.js';
import { createBoardSource } from '../source/sources/board.js';
import { socatSkip } from './helpers/socat.js';

const dir = mkdtempSync(join(tmpdir(), 'heaptop-emulate-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Resolves when `log` is handed a line that passes `check`; rejects after `deadlineMs` naming what it waited for. */
function logWaiter(deadlineMs: number) {
	const lines: string[] = [];
	let waiting: { check: (line: string) => boolean; resolve: () => void } | undefined;
	return {
		lines,
		log(line: string) {
			lines.push(line);
			if (waiting?.check(line)) waiting.resolve();
		},
		until(check: (line: string) => boolean, what: string): Promise<void> {
			if (lines.some(check)) return Promise.resolve();
			return new Promise((resolve, reject) => {
				const timer = setTimeout(
					() => reject(new Error(`no ${what} within ${deadlineMs} ms: ${lines.join(' | ')}`)),
					deadlineMs,
				);
				waiting = {
					check,
					resolve: () => {
						clearTimeout(timer);
						resolve();
					},
				};
			});
		},
	};
}

describe('heaptop emulate --pty', { timeout: 60_000, skip: socatSkip() }, () => {
	test('puts a board on the path that a serial client can read, then removes it', { timeout: 30_000 }, async () => {
		const ptyPath = join(dir, 'emulated');
		const logged = logWaiter(20_000);
		let finish = () => {};
		const stopped = new Promise<void>((resolve) => {
			finish = resolve;
		});
		const running = runEmulate({ ptyPath, heapBytes: 64 * 1024, log: logged.log, until: stopped });
		// The command says where the board is once its pty is there: wait on that line, not on the file.
		await Promise.race([
			logged.until((line) => line.startsWith('virtual board on'), 'board-up line'),
			running.then((code) => Promise.reject(new Error(`emulate ended (${code}) before the board was up`))),
		]);
		assert.equal(existsSync(ptyPath), true, 'the pty is there when the command says so');
		const source = createBoardSource({ port: ptyPath });
		await source.start();
		const outcome = await source.read({ collect: true });
		const reading = outcome.ok ? outcome.reading : undefined;
		await source.close();
		finish();
		assert.equal(await running, 0);
		assert.ok(reading);
		assert.ok(
			Math.abs(reading.snapshot.gc.totalBytes - 64 * 1024) < 4096,
			`the heap asked for, not ${reading.snapshot.gc.totalBytes}`,
		);
		assert.match(
			logged.lines.join('\n'),
			new RegExp(`virtual board on ${ptyPath}: MicroPython v1\\.27\\.0.*64 KiB heap`),
		);
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
