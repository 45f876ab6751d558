import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startVirtualBoard, type VirtualBoard } from '../source/sources/virtual-board.js';
import { hasTool, startSer2net, startSocatBridge } from './helpers/network.js';
import { socatSkip } from './helpers/socat.js';
import { hasTmux, startPane, type TmuxPane } from './helpers/tmux.js';

/**
 * The live screen over each network link, in a real terminal (tmux), as a user meets it: `socket://` through
 * socat in front of the virtual board's pty, `rfc2217://` through ser2net in front of it, `ws://` to heaptop's
 * own WebREPL. Each shows the heap, refreshes on `g`, says disconnected when the server goes (while a dump
 * streams, paced as a UART) and is live again when it comes back. The WebREPL password is typed at the prompt.
 */

const root = new URL('..', import.meta.url).pathname;
const cli = `${root}dist/cli.cjs`;
const dir = mkdtempSync(join(tmpdir(), 'heaptop-network-tui-'));
const password = 'micro';

function skipReason(): string | undefined {
	if (!hasTmux()) return 'tmux is not installed (apt-get install -y tmux)';
	if (!existsSync(cli)) return 'dist/cli.cjs is missing: run npm run build';
	return socatSkip();
}
const skip = skipReason();
const ser2netSkip =
	skip ?? (hasTool('ser2net', ['-v']) ? undefined : 'ser2net is not installed (apt-get install ser2net)');

const EXITED = /heaptop exited (\d+)/;
const MAP_ROW = /[│|] [0-9a-f]{4,8} [.=A-Za-z]+/;

/** The TUI on `port` in a pane; the WebREPL password, when asked, is typed at the prompt. */
function screenOn(port: string): TmuxPane {
	return startPane({
		command: `env -u WEBREPL_PASSWORD node ${cli} --port ${port}; echo "heaptop exited $?"; exec sleep 600`,
		columns: 100,
		rows: 30,
		cwd: root,
	});
}

// A board read on demand says how old its reading is ("● auto off · 0.4 s ago") where a stream says "live".
const isLive = (text: string) =>
	MAP_ROW.test(text) &&
	text.includes('total') &&
	/ s ago|\blive\b/.test(text) &&
	!/disconnected|connecting|not answering/.test(text);
const fresh = (text: string) => isLive(text) && /\b\d\.\d s ago\b/.test(text);

/** Heap on screen, g refreshes (the diff line), the server goes and comes back, q leaves a clean terminal. */
async function exercise(pane: TmuxPane, serverGone: () => Promise<void>, serverBack: () => Promise<void>) {
	await pane.waitFor(isLive, 'the heap, live');
	pane.sendKeys('g');
	await pane.waitFor((text) => /blocks: [\d,]+ (freed|new)|no block changed/.test(text), 'the diff after g');
	// g again, and the server goes while that dump streams in (the board is paced at 9600 baud).
	pane.sendKeys('g');
	await serverGone();
	// In the link's words, who closed it: not just that the board went away.
	await pane.waitFor(
		(text) => /\bdisconnected\b/.test(text) && /(closed|dropped) by|closed the connection/.test(text),
		'disconnected',
	);
	await serverBack();
	await pane.waitFor(isLive, 'live again', 30_000);
	// And reading: a collect now is a reading of a moment ago.
	pane.sendKeys('g');
	await pane.waitFor(fresh, 'a fresh reading after g', 30_000);
	pane.sendKeys('q');
	const after = await pane.waitFor((text) => EXITED.test(text), 'heaptop to exit');
	assert.equal(after.match(EXITED)?.[1], '0');
	assert.ok(!pane.alternateOn(), 'the alternate screen is left');
	assert.ok(pane.cursorVisible(), 'the cursor is visible again');
}

describe('the live screen over the network links, in tmux', { skip, timeout: 180_000 }, () => {
	let board: VirtualBoard;
	before(async () => {
		board = await startVirtualBoard({
			ptyPath: join(dir, 'board'),
			heapBytes: 32 * 1024,
			faults: { paceBaud: 9600 },
		});
	});
	after(async () => {
		await board?.close();
		rmSync(dir, { recursive: true, force: true });
	});

	test('socket:// through socat: the heap, g, socat gone mid-dump then back', async () => {
		let bridge = await startSocatBridge(board.path);
		const port = bridge.port;
		const pane = screenOn(`socket://127.0.0.1:${port}`);
		try {
			await exercise(
				pane,
				() => bridge.stop(),
				async () => {
					bridge = await startSocatBridge(board.path, port);
				},
			);
		} finally {
			pane.kill();
			await bridge.stop();
		}
	});

	test(
		'rfc2217:// through ser2net: the DTR/RTS notice in the status line, g, ser2net gone then back',
		{ skip: ser2netSkip },
		async () => {
			let server = await startSer2net(board.path, dir);
			const port = server.port;
			const pane = screenOn(`rfc2217://127.0.0.1:${port}`);
			try {
				await pane.waitFor((text) => text.includes('did not acknowledge DTR/RTS'), 'the notice, once');
				await exercise(
					pane,
					() => server.stop(),
					async () => {
						server = await startSer2net(board.path, dir, port);
					},
				);
			} finally {
				pane.kill();
				await server.stop();
			}
		},
	);

	test('ws:// to the WebREPL: the password typed unseen, the heap, g, the board gone then back', async () => {
		const webrepl = await startVirtualBoard({
			endpoint: { kind: 'webrepl', host: '127.0.0.1', port: 0, password },
			heapBytes: 32 * 1024,
			faults: { paceBaud: 9600 },
		});
		const pane = screenOn(webrepl.path);
		try {
			await pane.waitFor((text) => text.includes('WebREPL password for ws://'), 'the password prompt');
			pane.sendKeys(password);
			const typed = pane.capture();
			assert.ok(!typed.includes(password), `the password is not echoed:\n${typed}`);
			pane.sendKeys('Enter');
			await exercise(
				pane,
				() => webrepl.unplug(),
				() => webrepl.replug(),
			);
			assert.ok(!pane.capture().includes(password), 'the password is never shown');
		} finally {
			pane.kill();
			await webrepl.close();
		}
	});

	test('Ctrl-C at the password prompt: one line, exit 1, the terminal echoes again', async () => {
		const pane = startPane({
			command: `env -u WEBREPL_PASSWORD node ${cli} --port ws://127.0.0.1:1 --once; echo "heaptop exited $?"; stty -a; exec sleep 600`,
			columns: 100,
			rows: 30,
			cwd: root,
		});
		try {
			await pane.waitFor((text) => text.includes('WebREPL password for ws://127.0.0.1:1'), 'the prompt');
			pane.sendKeys('zqxw');
			pane.sendKeys('C-c');
			const after = await pane.waitFor((text) => EXITED.test(text) && text.includes('speed'), 'exit and stty');
			assert.equal(after.match(EXITED)?.[1], '1');
			assert.match(after, /heaptop: no WebREPL password given/);
			assert.ok(!after.includes('zqxw'), 'what was typed is not shown');
			assert.match(after, /(^|\s)echo(\s|$)/m, 'echo is back on');
			assert.match(after, /(^|\s)icanon(\s|$)/m, 'line editing is back on');
		} finally {
			pane.kill();
		}
	});
});
