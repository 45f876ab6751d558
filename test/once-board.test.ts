import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, describe, test } from 'node:test';
import { RuntimeFailure } from '../source/commands/errors.js';
import { onceCommand, streamJsonCommand } from '../source/commands/once.js';
import { createBoardSource } from '../source/sources/board.js';
import { createEmulatorSource } from '../source/sources/emulator.js';
import { startVirtualBoard } from '../source/sources/virtual-board.js';
import { keptStream } from './helpers/kept-stream.js';

const dir = mkdtempSync(join(tmpdir(), 'heaptop-once-board-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** What `board` says of the virtual board (the WebAssembly VM) served on socket:// at `path`. */
function virtualBoardOverTcp(path: string): Record<string, string> {
	return {
		implementation: 'micropython',
		version: '1.27.0',
		machine: 'JS with Emscripten',
		platform: 'webassembly',
		link: 'tcp',
		port: path,
	};
}

async function onceJson(source: Parameters<typeof onceCommand>[0]): Promise<Record<string, unknown>> {
	const stdout = keptStream();
	assert.equal(await onceCommand(source, { json: true, color: false, collect: true, stdout }), 0);
	return JSON.parse(stdout.text()) as Record<string, unknown>;
}

describe('--once --json names the board it read', { timeout: 60_000 }, () => {
	test('a MicroPython board over socket://: implementation, version, machine and the link', async () => {
		const board = await startVirtualBoard({
			endpoint: { kind: 'tcp', host: '127.0.0.1', port: 0 },
			heapBytes: 32 * 1024,
		});
		try {
			const json = await onceJson(createBoardSource({ port: board.path }));
			assert.deepEqual(json.board, virtualBoardOverTcp(board.path));
			assert.ok((json.gc as { totalBytes: number }).totalBytes > 0);
		} finally {
			await board.close();
		}
	});

	test('a CircuitPython board over a pty', async () => {
		const board = await startVirtualBoard({ ptyPath: join(dir, 'cp'), heapBytes: 32 * 1024, flavour: 'circuitpython' });
		try {
			const json = await onceJson(createBoardSource({ port: board.path }));
			assert.deepEqual(json.board, {
				implementation: 'circuitpython',
				version: '9.2.1',
				machine: 'Raspberry Pi Pico with rp2040',
				platform: 'RP2040',
				link: 'serial',
				port: board.path,
			});
		} finally {
			await board.close();
		}
	});

	test('each line of --json --interval names the board too', async () => {
		const board = await startVirtualBoard({
			endpoint: { kind: 'tcp', host: '127.0.0.1', port: 0 },
			heapBytes: 32 * 1024,
		});
		try {
			const stdout = keptStream();
			const code = await streamJsonCommand(createBoardSource({ port: board.path }), {
				intervalMs: 0,
				count: 2,
				collect: false,
				stdout,
				signal: new AbortController().signal,
				sleep: async () => undefined,
			});
			assert.equal(code, 0);
			const lines = stdout
				.text()
				.trim()
				.split('\n')
				.map((line) => JSON.parse(line) as Record<string, unknown>);
			assert.equal(lines.length, 2);
			for (const line of lines) {
				assert.deepEqual(line.board, virtualBoardOverTcp(board.path));
				assert.equal(typeof line.atMs, 'number');
			}
		} finally {
			await board.close();
		}
	});

	test('the emulator says it is the emulator', async () => {
		const json = await onceJson(createEmulatorSource({ heapBytes: 32 * 1024 }));
		assert.equal((json.board as { link: string }).link, 'emulator');
		assert.equal((json.board as { implementation: string }).implementation, 'micropython');
	});
});

describe('--once when the link fails on the way: one line with the next step', { timeout: 60_000 }, () => {
	test('the server closing the connection mid-dump: closed, run again once it is back', async () => {
		// At 2400 baud the dump of a fresh heap takes seconds: time enough to close the server in its middle.
		const board = await startVirtualBoard({
			endpoint: { kind: 'tcp', host: '127.0.0.1', port: 0 },
			heapBytes: 32 * 1024,
			faults: { paceBaud: 2400 },
		});
		try {
			const stdout = new Writable({ write: (_chunk, _encoding, done) => done() });
			const reading = onceCommand(createBoardSource({ port: board.path }), {
				json: true,
				color: false,
				collect: false,
				stdout,
			});
			const from = board.outputBytes;
			// Past the probe and the identify line: the dump's rows are coming.
			while (board.outputBytes < from + 400) await new Promise((resolve) => setTimeout(resolve, 10));
			await board.unplug();
			await assert.rejects(reading, (error: unknown) => {
				assert.ok(error instanceof RuntimeFailure);
				assert.equal(
					error.message,
					`${board.path} closed the connection (the server stopped, or gave the port to another client): run heaptop again once it is back`,
				);
				return true;
			});
		} finally {
			await board.close();
		}
	});
});
