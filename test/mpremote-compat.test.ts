import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Link } from '../source/link/link.js';
import { openLink } from '../source/link/open.js';
import { startVirtualBoard, type VirtualBoard } from '../source/sources/virtual-board.js';
import { collect } from './helpers/network.js';

// mpremote's own byte sequences (tools/mpremote, transport_serial.py) against the virtual board on a pty, since
// CI has no mpremote: enter the raw REPL, send code + Ctrl-D, read `OK`, stdout, `\x04`, stderr, `\x04>`.

const dir = mkdtempSync(join(tmpdir(), 'heaptop-mpremote-'));
let board: VirtualBoard;
let link: Link;
let output: ReturnType<typeof collect>;
const send = (text: string) => link.write(new TextEncoder().encode(text));

before(async () => {
	board = await startVirtualBoard({ ptyPath: join(dir, 'board'), heapBytes: 64 * 1024 });
	link = await openLink(board.path);
	output = collect(link);
});
after(async () => {
	await link.close();
	await board.close();
	rmSync(dir, { recursive: true, force: true });
});

async function enterRaw(): Promise<void> {
	const from = output.text.length;
	await send('\r\x03');
	await send('\r\x01');
	await output.until('raw REPL; CTRL-B to exit\r\n>', from);
}

/** Runs `code` as mpremote's exec does; returns what it printed and its traceback. */
async function exec(code: string): Promise<{ stdout: string; stderr: string }> {
	const from = output.text.length;
	await send(`${code}\x04`);
	await output.until('\x04>', from);
	const frame = output.text.slice(from);
	const body = frame.slice(frame.indexOf('OK') + 2);
	const [stdout = '', stderr = ''] = body.split('\x04');
	return { stdout, stderr };
}

describe("mpremote's commands against the virtual board", { timeout: 60_000 }, () => {
	test('fs cp to a new file, then errors numbered as on a board: ENOENT 2, EEXIST 17', async () => {
		await enterRaw();
		// What `mpremote fs cp local :new.txt` sends: stat the target, then open and write it.
		const missing = await exec("import os\nos.stat('new.txt')");
		assert.match(missing.stderr, /OSError: \[Errno 2\] ENOENT/);
		const written = await exec("f=open('new.txt','wb')\nw=f.write\nw(b'hello')\nf.close()");
		assert.equal(written.stderr, '');
		const exists = await exec("os.mkdir('tmp')");
		assert.match(exists.stderr, /OSError: \[Errno 17\] EEXIST/);
		const errnos = await exec('import errno\nprint(errno.ENOENT, errno.EEXIST)');
		assert.equal(errnos.stdout.trim(), '2 17');
	});

	test('fs ls: ilistdir gives each file its size, as FAT and littlefs do', async () => {
		const listing = await exec("for f in os.ilistdir(''):\n print(repr(f), end=',')");
		assert.match(listing.stdout, /\('new\.txt', 32768, 0, 5\)/);
		assert.match(listing.stdout, /\('tmp', 16384, 0, 0\)/);
		const inside = await exec(
			"f=open('/tmp/t.bin','wb')\nf.write(bytes(300))\nf.close()\nprint(list(os.ilistdir('/tmp')))",
		);
		assert.match(inside.stdout, /\('t\.bin', 32768, 0, 300\)/);
	});

	test('a soft reset forgets the working directory and what was mounted', async () => {
		const mounted = await exec(
			"import vfs\nclass M:\n def mount(self, r, m): pass\n def umount(self): print('unmounted')\n def chdir(self, p): pass\n def getcwd(self): return ''\nos.mount(M(), '/remote')\nos.chdir('/tmp')\nprint(os.getcwd())",
		);
		assert.equal(mounted.stdout.trim(), '/tmp');
		const from = output.text.length;
		// An empty Ctrl-D in the raw REPL: mpremote's soft reset.
		await send('\x04');
		await output.until('soft reboot\r\n', from);
		await output.until('raw REPL; CTRL-B to exit\r\n>', from);
		assert.match(output.text.slice(from), /unmounted/);
		const after = await exec(
			"import os\nprint(os.getcwd())\ntry:\n os.stat('/remote')\nexcept OSError as e:\n print(e.errno)",
		);
		assert.equal(after.stdout.trim(), '/\r\n2');
	});

	test('a soft reboot from the friendly prompt: the banner straight after "MPY: soft reboot", no blank line', async () => {
		let from = output.text.length;
		await send('\x02');
		await output.until('>>> ', from);
		from = output.text.length;
		await send('\x04');
		await output.until('>>> ', from);
		assert.match(
			output.text.slice(from),
			/^\r\nMPY: soft reboot\r\nMicroPython v1\.27\.0[^\r]*\r\nType "help\(\)" for more information\.\r\n>>> $/,
		);
	});
});
