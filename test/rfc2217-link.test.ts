import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { PortError } from '../source/link/link.js';
import { openLink } from '../source/link/open.js';
import { startVirtualBoard } from '../source/sources/virtual-board.js';
import { collect, freePort, hasTool, startSer2net, typeLine } from './helpers/network.js';

const dir = mkdtempSync(join(tmpdir(), 'heaptop-rfc2217-link-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const ser2net = hasTool('ser2net', ['-v']) ? false : 'needs ser2net (apt-get install ser2net)';

describe('rfc2217:// links', { timeout: 60_000 }, () => {
	test(
		'through ser2net in front of a pty: DTR/RTS never acknowledged, said once, and the REPL works',
		{ skip: ser2net },
		async () => {
			const board = await startVirtualBoard({ ptyPath: join(dir, 'ser2net-board'), heapBytes: 32 * 1024 });
			const server = await startSer2net(board.path, dir);
			try {
				const notices: string[] = [];
				const link = await openLink(`rfc2217://127.0.0.1:${server.port}`, { notice: (line) => notices.push(line) });
				assert.equal(link.kind, 'rfc2217');
				assert.equal(notices.length, 1, notices.join('\n'));
				assert.match(
					notices[0] ?? '',
					/did not acknowledge DTR\/RTS \(ser2net in front of a pty never does\); going on/,
				);
				const output = collect(link);
				// 0xFF goes through telnet doubled, and comes back single.
				await typeLine(link, output, 'print(bytes(range(250,256)))', "b'\\xfa\\xfb\\xfc\\xfd\\xfe\\xff'");
				await typeLine(link, output, "import sys; sys.stdout.buffer.write(b'\\xff\\xff\\x01')", '3');
				assert.ok(output.text.includes('\xff\xff\x01'), 'IAC in the data arrives unescaped');
				await link.close();
			} finally {
				await server.stop();
				await board.close();
			}
		},
	);

	test('?ign_set_control: no wait for the acknowledgement and nothing said', { skip: ser2net }, async () => {
		const board = await startVirtualBoard({ ptyPath: join(dir, 'ser2net-ign'), heapBytes: 32 * 1024 });
		const server = await startSer2net(board.path, dir);
		try {
			const notices: string[] = [];
			const link = await openLink(`rfc2217://127.0.0.1:${server.port}?ign_set_control`, {
				notice: (line) => notices.push(line),
			});
			assert.deepEqual(notices, []);
			const output = collect(link);
			await typeLine(link, output, '3*3', '9');
			await link.close();
		} finally {
			await server.stop();
			await board.close();
		}
	});

	test('heaptop emulate --rfc2217 acknowledges every setting: nothing to say', async () => {
		const board = await startVirtualBoard({
			endpoint: { kind: 'rfc2217', host: '127.0.0.1', port: 0 },
			heapBytes: 32 * 1024,
		});
		try {
			assert.match(board.path, /^rfc2217:\/\/127\.0\.0\.1:\d+$/);
			const notices: string[] = [];
			const link = await openLink(board.path, { notice: (line) => notices.push(line) });
			assert.deepEqual(notices, []);
			const output = collect(link);
			await typeLine(link, output, '"\\xff"', "'\\xff'");
			await link.close();
		} finally {
			await board.close();
		}
	});

	test('a server that stays silent about DTR/RTS, as ser2net does, is said once', async () => {
		const board = await startVirtualBoard({
			endpoint: { kind: 'rfc2217', host: '127.0.0.1', port: 0 },
			acknowledgeControl: false,
			heapBytes: 32 * 1024,
		});
		try {
			const notices: string[] = [];
			const link = await openLink(board.path, { notice: (line) => notices.push(line) });
			assert.equal(notices.length, 1);
			const output = collect(link);
			await typeLine(link, output, '1+1', '2');
			await link.close();
		} finally {
			await board.close();
		}
	});

	test('a plain TCP server (no telnet) is used as it is, saying it does not speak RFC 2217', async () => {
		const board = await startVirtualBoard({
			endpoint: { kind: 'tcp', host: '127.0.0.1', port: 0 },
			heapBytes: 32 * 1024,
		});
		try {
			const notices: string[] = [];
			const link = await openLink(board.path.replace('socket://', 'rfc2217://'), {
				notice: (line) => notices.push(line),
			});
			assert.match(notices.join('\n'), /does not speak RFC 2217/);
			await link.close();
		} finally {
			await board.close();
		}
	});

	test('refused, and a server closing the link, each in one line', async () => {
		const port = await freePort();
		await assert.rejects(
			openLink(`rfc2217://127.0.0.1:${port}`),
			(error: unknown) => error instanceof PortError && error.kind === 'refused',
		);
		const board = await startVirtualBoard({
			endpoint: { kind: 'rfc2217', host: '127.0.0.1', port: 0 },
			heapBytes: 32 * 1024,
		});
		try {
			const link = await openLink(board.path);
			const closed = new Promise<PortError | undefined>((resolve) => link.onClose(resolve));
			await board.unplug();
			const why = await closed;
			assert.equal(why?.kind, 'closed');
			assert.match(why?.message ?? '', /closed by the RFC 2217 server/);
		} finally {
			await board.close();
		}
	});
});
