import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { PortError } from '../source/link/link.js';
import { openLink } from '../source/link/open.js';
import { startVirtualBoard } from '../source/sources/virtual-board.js';
import { collect, freePort, hasTool, startSocatBridge, typeLine } from './helpers/network.js';

const dir = mkdtempSync(join(tmpdir(), 'heaptop-tcp-link-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const socat = hasTool('socat', ['-V']) ? false : 'needs socat (apt-get install socat)';

describe('socket:// links', { timeout: 60_000 }, () => {
	test('reach the REPL of heaptop emulate --tcp', async () => {
		const board = await startVirtualBoard({
			endpoint: { kind: 'tcp', host: '127.0.0.1', port: 0 },
			heapBytes: 32 * 1024,
		});
		try {
			assert.match(board.path, /^socket:\/\/127\.0\.0\.1:\d+$/);
			const link = await openLink(board.path);
			assert.equal(link.kind, 'tcp');
			const output = collect(link);
			await typeLine(link, output, '6*7', '42');
			await link.close();
		} finally {
			await board.close();
		}
	});

	test('reach a board behind socat TCP-LISTEN, bytes 0x00-0xFF unchanged both ways', { skip: socat }, async () => {
		const board = await startVirtualBoard({ ptyPath: join(dir, 'socat-board'), heapBytes: 32 * 1024 });
		const bridge = await startSocatBridge(board.path);
		try {
			const link = await openLink(`socket://127.0.0.1:${bridge.port}`);
			const output = collect(link);
			await typeLine(link, output, 'print(bytes(range(250,256)))', "b'\\xfa\\xfb\\xfc\\xfd\\xfe\\xff'");
			await typeLine(link, output, "import sys; sys.stdout.buffer.write(b'\\xff\\x00\\xfe')", '3');
			assert.ok(output.text.includes('\xff\x00\xfe'), 'raw bytes pass');
			await link.close();
		} finally {
			await bridge.stop();
			await board.close();
		}
	});

	test('nothing listening: refused, in one line with the next step', async () => {
		const port = await freePort();
		await assert.rejects(openLink(`socket://127.0.0.1:${port}`), (error: unknown) => {
			assert.ok(error instanceof PortError);
			assert.equal(error.kind, 'refused');
			assert.match(error.message, /connection refused: nothing listens there; is the serial server running/);
			assert.doesNotMatch(error.message, /\n/);
			return true;
		});
	});

	test('a name that is not host:port is invalid, saying how to write it', async () => {
		for (const spec of ['socket://', 'socket://host', 'socket://host:99999', 'socket://host:port']) {
			await assert.rejects(
				openLink(spec),
				(error: unknown) =>
					error instanceof PortError && error.kind === 'invalid' && /socket:\/\/192\.168/.test(error.message),
				spec,
			);
		}
	});

	test('an unknown host is missing', async () => {
		await assert.rejects(
			openLink('socket://no-such-host.invalid:2217'),
			(error: unknown) => error instanceof PortError && (error.kind === 'missing' || error.kind === 'unreachable'),
		);
	});

	test('the server going away mid-output closes the link as a lost board; it opens again when the server is back', async () => {
		const board = await startVirtualBoard({
			endpoint: { kind: 'tcp', host: '127.0.0.1', port: 0 },
			heapBytes: 32 * 1024,
		});
		try {
			const link = await openLink(board.path);
			const output = collect(link);
			const closed = new Promise<PortError | undefined>((resolve) => link.onClose(resolve));
			// A long output, cut while it flows.
			await link.write(new TextEncoder().encode('for i in range(3000): print(i)\r\r'));
			await output.until('100\r\n');
			await board.unplug();
			const why = await closed;
			assert.ok(why instanceof PortError);
			assert.equal(why.kind, 'closed');
			assert.match(why.message, /closed by the serial server$/);
			await assert.rejects(
				openLink(board.path),
				(error: unknown) => error instanceof PortError && error.kind === 'refused',
			);
			await board.replug();
			const again = await openLink(board.path);
			const more = collect(again);
			await typeLine(again, more, '\x03\r1+2', '3');
			await again.close();
		} finally {
			await board.close();
		}
	});

	test('a second client is told the board is in use, and the first keeps it', async () => {
		const board = await startVirtualBoard({
			endpoint: { kind: 'tcp', host: '127.0.0.1', port: 0 },
			heapBytes: 32 * 1024,
		});
		try {
			const first = await openLink(board.path);
			const firstOutput = collect(first);
			const second = await openLink(board.path);
			const secondOutput = collect(second);
			await new Promise<void>((resolve) => second.onClose(() => resolve()));
			assert.match(secondOutput.text, /in use by another connection/);
			await typeLine(first, firstOutput, '2+2', '4');
			await first.close();
		} finally {
			await board.close();
		}
	});

	test('a passive link refuses every write', async () => {
		const board = await startVirtualBoard({
			endpoint: { kind: 'tcp', host: '127.0.0.1', port: 0 },
			heapBytes: 32 * 1024,
		});
		try {
			const link = await openLink(board.path, { passive: true });
			await assert.rejects(link.write(new Uint8Array([3])), (error: unknown) => error instanceof PortError);
			assert.equal(link.writeSync?.(new Uint8Array([3])), false);
			await link.close();
		} finally {
			await board.close();
		}
	});
});
