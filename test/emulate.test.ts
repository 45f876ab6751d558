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
			new RegExp(`virtual board on ${ptyPath}: MicroPython v1\\.27\\.0.*a 65,536 B heap`),
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

describe('heaptop emulate on the network', { timeout: 60_000 }, () => {
	test(
		'--tcp 127.0.0.1:0 serves the board on a port it names, reachable as socket://',
		{ timeout: 30_000 },
		async () => {
			const { openLink } = await import('../source/link/open.js');
			const lines: string[] = [];
			let finish = () => {};
			const stopped = new Promise<void>((resolve) => {
				finish = resolve;
			});
			let announced = () => {};
			const ready = new Promise<void>((resolve) => {
				announced = resolve;
			});
			const running = runEmulate({
				tcp: '127.0.0.1:0',
				heapBytes: 32 * 1024,
				log: (line) => {
					lines.push(line);
					if (line.startsWith('connect with')) announced();
				},
				until: stopped,
			});
			await ready;
			const url = /heaptop --port (socket:\/\/127\.0\.0\.1:\d+)/.exec(lines.join('\n'))?.[1];
			assert.ok(url, lines.join('\n'));
			const link = await openLink(url);
			let text = '';
			const answered = new Promise<void>((resolve) =>
				link.onData((chunk) => {
					text += Buffer.from(chunk).toString('latin1');
					if (text.includes('42\r\n>>> ')) resolve();
				}),
			);
			await link.write(new TextEncoder().encode('6*7\r'));
			await answered;
			await link.close();
			finish();
			assert.equal(await running, 0);
		},
	);

	test('flags that name no endpoint, two, or a bad one are usage errors in one line', async () => {
		const { UsageError } = await import('../source/commands/errors.js');
		const cases: [Parameters<typeof runEmulate>[0], RegExp][] = [
			[{ log: () => undefined }, /emulate needs where to serve: --pty PATH, --tcp HOST:PORT/],
			[{ tcp: '127.0.0.1:0', ptyPath: '/tmp/x', log: () => undefined }, /one of --pty, --tcp, --rfc2217, --webrepl/],
			[{ tcp: 'localhost', log: () => undefined }, /--tcp takes HOST:PORT, e\.g\. --tcp 127\.0\.0\.1:2217/],
			[{ rfc2217: '1:70000', log: () => undefined }, /--rfc2217 takes HOST:PORT/],
			[
				{ webrepl: '127.0.0.1:0', log: () => undefined },
				/--webrepl needs --password \(or WEBREPL_PASSWORD\) of 4 to 9 characters/,
			],
			[{ webrepl: '127.0.0.1:0', password: 'tenletters', log: () => undefined }, /4 to 9 characters/],
			[{ tcp: '127.0.0.1:0', password: 'micro', log: () => undefined }, /--password goes with --webrepl/],
		];
		for (const [options, message] of cases) {
			await assert.rejects(runEmulate({ ...options, until: Promise.resolve() }), (error: unknown) => {
				assert.ok(error instanceof UsageError, String(error));
				assert.match(error.message, message);
				return true;
			});
		}
	});

	test('a port already taken is one line naming it', { timeout: 30_000 }, async () => {
		const { createServer } = await import('node:net');
		const server = createServer();
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const address = server.address();
		const port = typeof address === 'object' && address ? address.port : 0;
		try {
			await assert.rejects(
				runEmulate({ tcp: `127.0.0.1:${port}`, heapBytes: 32 * 1024, log: () => undefined, until: Promise.resolve() }),
				(error: unknown) =>
					error instanceof RuntimeFailure && new RegExp(`127\\.0\\.0\\.1:${port} is in use`).test(error.message),
			);
		} finally {
			server.close();
		}
	});
});
