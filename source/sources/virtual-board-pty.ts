import { type ChildProcess, spawn } from 'node:child_process';
import { lstat } from '../promised-fs.js';
import { type BoardWire, WireError } from './virtual-board-wire.js';

/**
 * The virtual board behind a pseudo-terminal. Node has no pty API; `socat` makes the pty and relays it to this
 * process over pipes (`PTY,link=PATH,raw,echo=0` ↔ `STDIO`). Unplugging ends socat, so the path vanishes as a
 * USB board's does.
 */

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	// Polls a file system fact: there is no event for "socat made its symlink".
	for (;;) {
		if (await check()) return;
		if (Date.now() > deadline) throw new WireError(what);
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}

/** True when something is at `path`. */
export async function pathExists(path: string): Promise<boolean> {
	try {
		await lstat(path);
		return true;
	} catch {
		return false;
	}
}

/** A pty wire at `path`; `input` receives what clients write. */
export function createPtyWire(path: string, input: (bytes: Uint8Array) => void, socatPath = 'socat'): BoardWire {
	let socat: ChildProcess | undefined;
	return {
		address: path,
		send(bytes) {
			if (!socat?.stdin || socat.stdin.destroyed) return;
			socat.stdin.write(bytes);
		},
		async plug() {
			if (socat) return;
			const child = spawn(socatPath, [`PTY,link=${path},raw,echo=0`, 'STDIO'], { stdio: ['pipe', 'pipe', 'pipe'] });
			socat = child;
			let stderr = '';
			child.stderr?.on('data', (data: Buffer) => {
				stderr += data.toString();
			});
			child.stdout?.on('data', (chunk: Buffer) => input(chunk));
			child.stdin?.on('error', () => undefined);
			const failed = new Promise<never>((_resolve, reject) => {
				child.once('error', (error) => {
					const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
					reject(
						new WireError(missing ? 'socat is not installed: apt-get install socat' : `socat failed: ${error.message}`),
					);
				});
				child.once('exit', (code) => reject(new WireError(`socat exited (${code}): ${stderr.trim()}`)));
			});
			failed.catch(() => undefined);
			await Promise.race([waitFor(() => pathExists(path), 5000, `socat made no pty at ${path}`), failed]);
		},
		async unplug() {
			const child = socat;
			socat = undefined;
			if (!child || child.exitCode !== null) return;
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.kill('SIGTERM');
			await exited;
			// socat removes its symlink on exit; make sure, so the path really vanishes.
			await waitFor(async () => !(await pathExists(path)), 2000, `${path} did not go away`);
		},
	};
}
