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

	test("mount's byte sequence: a request, the host's 0x18, binary both ways with Ctrl-C as data", async () => {
		// What `mpremote mount` does for each file-system call (transport_serial.py, RemoteCommand): Ctrl-C off,
		// `\x18` and a command byte on sys.stdout.buffer, wait (select.poll on sys.stdin.buffer) for the host's
		// `\x18`, read the answer with readinto, write binary back, Ctrl-C on again. Written here in our words.
		const code = [
			'import sys, select, micropython',
			'micropython.kbd_intr(-1)',
			'p = select.poll()',
			'p.register(sys.stdin.buffer, select.POLLIN)',
			"sys.stdout.buffer.write(b'\\x18\\x07', 2)",
			'ack = bytearray(1)',
			'p.poll(2000)',
			'sys.stdin.buffer.readinto(ack, 1)',
			'got = bytearray()',
			'while len(got) < 260 and p.poll(2000):',
			' b = bytearray(260 - len(got))',
			' got.extend(b[:sys.stdin.buffer.readinto(b, len(b))])',
			'micropython.kbd_intr(3)',
			'sys.stdout.buffer.write(bytes(got))',
			"print('', ack[0], len(got))",
		].join('\n');
		await enterRaw();
		const from = output.text.length;
		await send(`${code}\x04`);
		await output.until('\x18\x07', from);
		const payload = new Uint8Array([...Array.from({ length: 256 }, (_, i) => i), 0x03, 0x0a, 0x0d, 0x04]);
		await link.write(new Uint8Array([0x18]));
		await link.write(payload);
		await output.until('\x04>', from);
		const frame = output.text.slice(output.text.indexOf('\x18\x07', from) + 2);
		// Uncooked: a 0x0a without a 0x0d added, the 0x03 not an interrupt; then print's cooked line.
		assert.equal(frame.slice(0, 260), Buffer.from(payload).toString('latin1'));
		assert.equal(frame.slice(260, frame.indexOf('\x04', 260)), ' 24 260\r\n');
	});

	test('Python reading stdin gets the bytes typed after it started, and Ctrl-C interrupts a read that waits', async () => {
		let from = output.text.length;
		await send('import sys\nprint(repr(sys.stdin.buffer.read(3)))\x04');
		await output.until('OK', from);
		await send('abc');
		await output.until('\x04>', from);
		assert.ok(output.text.slice(from).endsWith("OKb'abc'\r\n\x04\x04>"));
		from = output.text.length;
		await send('sys.stdin.buffer.read(1)\x04');
		await output.until('OK', from);
		await send('\x03');
		await output.until('\x04>', from);
		const [okAndStdout = '', stderr = ''] = output.text.slice(from).split('\x04');
		assert.equal(okAndStdout, 'OK');
		assert.match(stderr, /^Traceback[\s\S]*KeyboardInterrupt/);
		// The Ctrl-C was the interrupt, not a byte left for the next read.
		const next = await exec("sys.stdout.write('after')");
		assert.equal(next.stdout, 'after');
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

	test("repl: keys sent one at a time as mpremote's repl does; the echo comes at once and Ctrl-C stops a loop that calls nothing", async () => {
		const from = output.text.length;
		// `while True: pass` jumps to itself and calls no C function; a board's UART interrupt stops it all the same.
		for (const key of 'while True: pass\r\r') await send(key);
		// The echo of the last Enter, before the loop runs (a board echoes as it reads).
		await output.until('while True: pass\r\n... \r\n', from);
		await send('\x03');
		await output.until('>>> ', from);
		assert.match(output.text.slice(from), /\r\n\.\.\. \r\nTraceback[\s\S]*\r\nKeyboardInterrupt: \r\n>>> $/);
		const next = output.text.length;
		for (const key of '6*7\r') await send(key);
		await output.until('>>> ', next);
		assert.equal(output.text.slice(next), '6*7\r\n42\r\n>>> ');
	});

	test("exec of a loop that calls nothing: the Ctrl-C mpremote sends on the user's Ctrl-C ends it in the raw frame", async () => {
		await enterRaw();
		const from = output.text.length;
		await send('while True:\n pass\x04');
		await output.until('OK', from);
		await send('\x03');
		await output.until('\x04>', from);
		// OK and stdout (nothing), the traceback, the prompt.
		const [okAndStdout = '', stderr = '', prompt = ''] = output.text.slice(from).split('\x04');
		assert.deepEqual([okAndStdout, prompt], ['OK', '>']);
		assert.match(stderr, /^Traceback[\s\S]*KeyboardInterrupt: \r\n$/);
	});
});
