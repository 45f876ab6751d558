import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createServer as createTcpServer, type Socket } from 'node:net';
import { describe, test } from 'node:test';
import { PortError } from '../source/link/link.js';
import { openLink } from '../source/link/open.js';
import { startVirtualBoard } from '../source/sources/virtual-board.js';
import { heaptopAsync } from './helpers/heaptop.js';
import { collect, freePort, typeLine } from './helpers/network.js';

const webrepl = (password = 'micro') =>
	startVirtualBoard({ endpoint: { kind: 'webrepl', host: '127.0.0.1', port: 0, password }, heapBytes: 32 * 1024 });

describe('ws:// (WebREPL) links', { timeout: 60_000 }, () => {
	test('log in with the password and reach the REPL; bytes that are not UTF-8 come through', async () => {
		const board = await webrepl();
		try {
			assert.match(board.path, /^ws:\/\/127\.0\.0\.1:\d+\/$/);
			const link = await openLink(board.path, { password: 'micro' });
			assert.equal(link.kind, 'webrepl');
			const output = collect(link);
			// The board's own ">>> " after "WebREPL connected" reaches the first listener.
			await output.until('>>> ');
			await typeLine(link, output, "import sys; sys.stdout.buffer.write(b'\\xff\\xfe')", '2');
			assert.ok(output.text.includes('\xff\xfe'));
			// A line longer than a frame goes in several.
			const long = `len('${'x'.repeat(600)}')`;
			await typeLine(link, output, long, '600');
			await link.close();
		} finally {
			await board.close();
		}
	});

	test('a wrong password: Access denied, in one line saying where the password comes from', async () => {
		const board = await webrepl();
		try {
			await assert.rejects(openLink(board.path, { password: 'macro' }), (error: unknown) => {
				assert.ok(error instanceof PortError);
				assert.equal(error.kind, 'denied');
				assert.match(error.message, /Access denied: wrong WebREPL password; check --password or WEBREPL_PASSWORD/);
				assert.doesNotMatch(error.message, /macro/, 'the password is never shown');
				return true;
			});
			// The board is free again for the right one.
			const link = await openLink(board.path, { password: 'micro' });
			await link.close();
		} finally {
			await board.close();
		}
	});

	test('no password at all is said before connecting', async () => {
		await assert.rejects(
			openLink('ws://127.0.0.1:8266'),
			(error: unknown) =>
				error instanceof PortError && /needs its password: pass --password or set WEBREPL_PASSWORD/.test(error.message),
		);
	});

	test('refused, and a web server that is not a WebREPL', async () => {
		const port = await freePort();
		await assert.rejects(
			openLink(`ws://127.0.0.1:${port}`, { password: 'x' }),
			(error: unknown) => error instanceof PortError && error.kind === 'refused',
		);
		const page = createServer((_request, response) => response.end('<html>router</html>'));
		await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
		const address = page.address();
		const pagePort = typeof address === 'object' && address ? address.port : 0;
		try {
			await assert.rejects(openLink(`ws://127.0.0.1:${pagePort}/`, { password: 'x' }), (error: unknown) => {
				assert.ok(error instanceof PortError);
				assert.match(
					error.message,
					/answered HTTP 200, not a WebREPL; on the board: import webrepl; webrepl.start\(\)/,
				);
				return true;
			});
		} finally {
			page.close();
		}
	});

	test('a server that accepts and never answers times out', async () => {
		const sockets: Socket[] = [];
		const silent = createTcpServer((socket) => sockets.push(socket));
		await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
		const address = silent.address();
		const port = typeof address === 'object' && address ? address.port : 0;
		try {
			await assert.rejects(
				openLink(`ws://127.0.0.1:${port}`, { password: 'micro' }),
				(error: unknown) =>
					error instanceof PortError && error.kind === 'timeout' && /no answer in 5 s/.test(error.message),
			);
		} finally {
			for (const socket of sockets) socket.destroy();
			silent.close();
		}
	});

	test('the board going away mid-output closes the link; it logs in again once the board is back', async () => {
		const board = await webrepl();
		try {
			const link = await openLink(board.path, { password: 'micro' });
			const output = collect(link);
			const closed = new Promise<PortError | undefined>((resolve) => link.onClose(resolve));
			await link.write(new TextEncoder().encode('for i in range(3000): print(i)\r\r'));
			await output.until('100\r\n');
			await board.unplug();
			const why = await closed;
			assert.equal(why?.kind, 'closed');
			assert.match(why?.message ?? '', /the WebREPL closed the connection \(board reset or Wi-Fi lost\?\)$/);
			await board.replug();
			const again = await openLink(board.path, { password: 'micro' });
			const more = collect(again);
			await typeLine(again, more, '\x03\r5+5', '10');
			await again.close();
		} finally {
			await board.close();
		}
	});

	test('run and profile --port ws:// log in with --password (or WEBREPL_PASSWORD) as the screen does', async () => {
		const board = await webrepl();
		try {
			const script = new URL('../examples/frame-buffer.py', import.meta.url).pathname;
			const run = await heaptopAsync(['run', script, '--port', board.path, '--password', 'micro', '--json']);
			assert.doesNotMatch(run.stderr, /needs its password/);
			assert.ok(run.stdout.trim().length > 0, run.stderr);
			const profile = await heaptopAsync(['profile', script, '--port', board.path, '--json'], {
				env: { WEBREPL_PASSWORD: 'micro' },
			});
			assert.doesNotMatch(profile.stderr, /needs its password/);
			assert.ok(profile.stdout.trim().length > 0, profile.stderr);
		} finally {
			await board.close();
		}
	});
});
