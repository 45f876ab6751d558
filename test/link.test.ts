import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { PortError } from '../source/link/link.js';
import { linkKindOf, openLink } from '../source/link/open.js';

/*
 * The serial link against a real pseudo-terminal pair made by socat, opened by serialport's real binding.
 */

const dir = mkdtempSync(join(tmpdir(), 'heaptop-link-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function hasSocat(): boolean {
	try {
		execFileSync('socat', ['-V'], { stdio: 'ignore' });
		return true;
	} catch {
		return false;
	}
}

/** Two linked ptys, `a` and `b`: bytes written to one are read from the other. */
async function ptyPair(name: string): Promise<{ a: string; b: string; socat: ChildProcess }> {
	const a = join(dir, `${name}-a`);
	const b = join(dir, `${name}-b`);
	const socat = spawn('socat', [`pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], { stdio: 'ignore' });
	const deadline = Date.now() + 5000;
	while (!(existsSync(a) && existsSync(b))) {
		if (Date.now() > deadline) throw new Error('socat made no ptys');
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
	return { a, b, socat };
}

function nextData(link: Awaited<ReturnType<typeof openLink>>, length: number): Promise<string> {
	return new Promise((resolve) => {
		let text = '';
		const stop = link.onData((chunk) => {
			text += Buffer.from(chunk).toString('latin1');
			if (text.length >= length) {
				stop();
				resolve(text);
			}
		});
	});
}

describe('which link a name asks for', () => {
	test('schemes pick the network links, anything else is a serial path', () => {
		assert.equal(linkKindOf('socket://localhost:2217'), 'tcp');
		assert.equal(linkKindOf('rfc2217://pi:4000'), 'rfc2217');
		assert.equal(linkKindOf('ws://192.168.4.1:8266'), 'webrepl');
		assert.equal(linkKindOf('wss://board.local'), 'webrepl');
		assert.equal(linkKindOf('/dev/ttyACM0'), 'serial');
		assert.equal(linkKindOf('COM3'), 'serial');
	});
});

describe(
	'the serial link',
	{ skip: hasSocat() ? false : 'needs socat (apt-get install socat)', timeout: 30_000 },
	() => {
		test('carries bytes both ways, and a sync write for exit paths', async () => {
			const pair = await ptyPair('both');
			try {
				const one = await openLink(pair.a);
				const two = await openLink(pair.b);
				assert.equal(one.kind, 'serial');
				assert.equal(one.name, pair.a);
				const got = nextData(two, 5);
				await one.write(new TextEncoder().encode('hello'));
				assert.equal(await got, 'hello');
				const gotSync = nextData(one, 3);
				assert.equal(two.writeSync?.(new Uint8Array([0x0d, 0x03, 0x02])), true);
				assert.equal(await gotSync, '\r\x03\x02');
				await one.close();
				await one.close();
				assert.equal(one.writeSync?.(new Uint8Array([1])), false);
				await assert.rejects(one.write(new Uint8Array([1])), PortError);
				await two.close();
			} finally {
				pair.socat.kill();
			}
		});

		test('a port already open elsewhere is busy, in one line', async () => {
			const pair = await ptyPair('busy');
			try {
				const holder = await openLink(pair.a);
				await assert.rejects(openLink(pair.a), (error: unknown) => {
					assert.ok(error instanceof PortError);
					assert.equal(error.kind, 'busy');
					assert.match(error.message, /is busy: another program holds it/);
					return true;
				});
				await holder.close();
			} finally {
				pair.socat.kill();
			}
		});

		test('a passive link refuses every write, so --listen cannot send a byte', async () => {
			const pair = await ptyPair('passive');
			try {
				const link = await openLink(pair.a, { passive: true });
				await assert.rejects(link.write(new Uint8Array([0x03])), PortError);
				assert.equal(link.writeSync?.(new Uint8Array([0x02])), false);
				await link.close();
			} finally {
				pair.socat.kill();
			}
		});

		test('the far end going away closes the link with a PortError', async () => {
			const pair = await ptyPair('gone');
			const link = await openLink(pair.a);
			const closed = new Promise<PortError | undefined>((resolve) => link.onClose(resolve));
			pair.socat.kill();
			const error = await closed;
			assert.ok(error instanceof PortError);
			assert.equal(error.kind, 'closed');
			await link.close();
		});

		test('a missing path and a file that is no port are named as such', async () => {
			await assert.rejects(openLink(join(dir, 'nope')), (error: unknown) => {
				assert.ok(error instanceof PortError);
				assert.equal(error.kind, 'missing');
				assert.match(error.message, /does not exist .*run heaptop ports/);
				return true;
			});
			const file = join(dir, 'plain-file');
			writeFileSync(file, 'not a tty');
			await assert.rejects(openLink(file), (error: unknown) => {
				assert.ok(error instanceof PortError);
				assert.equal(error.kind, 'not-serial');
				return true;
			});
		});
	},
);

describe('links not built yet', () => {
	test('answer with a PortError rather than a crash', async () => {
		await assert.rejects(openLink('ws://127.0.0.1:1'), PortError);
	});
});
