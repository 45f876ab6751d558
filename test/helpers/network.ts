import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Link } from '../../source/link/link.js';

/** True when `tool` runs (`tool --version`-like `args`). */
export function hasTool(tool: string, args: string[]): boolean {
	try {
		execFileSync(tool, args, { stdio: 'ignore' });
		return true;
	} catch {
		return false;
	}
}

/** A loopback port free a moment ago: the OS picks it, for servers (socat, ser2net) that cannot say theirs. */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => resolve(port));
		});
	});
}

/**
 * True when a socket listens on `port`, from the kernel's tables (Linux): a probe that bound the port itself
 * would, for its moment, take it from the server starting to bind it (socat then exits with "Address already
 * in use", and nothing ever listens), and a probe that connected would make the server open its serial side.
 */
function listensNow(port: number): boolean {
	const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
	for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
		let text = '';
		try {
			text = readFileSync(table, 'utf8');
		} catch {
			continue;
		}
		for (const line of text.split('\n').slice(1)) {
			// "sl local_address rem_address st ...": the local address ends in :PORT, and 0A is LISTEN.
			const [, local = '', , state = ''] = line.trim().split(/\s+/);
			if (local.endsWith(`:${hexPort}`) && state === '0A') return true;
		}
	}
	return false;
}

/** Resolves once something listens on the port (a server started in another process). */
export async function listening(port: number, deadlineMs = 10_000): Promise<void> {
	const until = Date.now() + deadlineMs;
	while (!listensNow(port)) {
		if (Date.now() > until) throw new Error(`nothing listens on ${port}`);
		// Polled: a server in another process sends no event when it starts listening.
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

/** Starts a child and returns it with a stop that waits for its exit. */
function started(child: ChildProcess): { child: ChildProcess; stop(): Promise<void> } {
	return {
		child,
		async stop() {
			if (child.exitCode !== null || child.signalCode !== null) return;
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.kill('SIGTERM');
			await exited;
		},
	};
}

/** The processes whose parent is `parent`, from /proc (no procps needed). */
function childrenOf(parent: number): number[] {
	const found: number[] = [];
	for (const name of readdirSync('/proc')) {
		if (!/^\d+$/.test(name)) continue;
		try {
			// /proc/PID/stat: "pid (comm) state ppid ...", and comm may hold spaces: read after the last ')'.
			const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
			const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
			if (ppid === parent) found.push(Number(name));
		} catch {}
	}
	return found;
}

/** `socat TCP-LISTEN` in front of a pty: a raw TCP serial bridge, as on a Raspberry Pi; `fixedPort` to restart. */
export async function startSocatBridge(ptyPath: string, fixedPort?: number) {
	const port = fixedPort ?? (await freePort());
	const child = spawn('socat', [`TCP-LISTEN:${port},bind=127.0.0.1,reuseaddr,fork`, `FILE:${ptyPath},raw,echo=0`], {
		stdio: 'ignore',
	});
	await listening(port);
	const handle = started(child);
	return {
		port,
		child,
		/** Stops socat and the child it forked for each connection, so the connection closes as the server goes. */
		async stop() {
			if (child.pid !== undefined) for (const pid of childrenOf(child.pid)) process.kill(pid, 'SIGTERM');
			await handle.stop();
		},
	};
}

/**
 * ser2net 4 in front of a pty with an RFC 2217 accepter on loopback; its YAML config goes in `dir`. `fixedPort`
 * starts it again where it was (a server that comes back).
 */
export async function startSer2net(ptyPath: string, dir: string, fixedPort?: number) {
	const port = fixedPort ?? (await freePort());
	const config = join(dir, `ser2net-${port}.yaml`);
	writeFileSync(
		config,
		[
			'connection: &board',
			`  accepter: telnet(rfc2217),tcp,127.0.0.1,${port}`,
			`  connector: serialdev,${ptyPath},115200n81,local`,
			'  options:',
			'    kickolduser: true',
			'',
		].join('\n'),
	);
	// -n: stay in the foreground; -u: no UUCP lock files; -P: its pid file in the test's directory, not /run.
	const child = spawn('ser2net', ['-n', '-u', '-c', config, '-P', join(dir, `ser2net-${port}.pid`)], {
		stdio: 'ignore',
	});
	await listening(port);
	return { port, ...started(child) };
}

/** Collects a link's output; `until` resolves when it contains `text`, or rejects with what came. */
export function collect(link: Link) {
	let text = '';
	const waiters: { text: string; from: number; resolve: () => void }[] = [];
	link.onData((chunk) => {
		text += Buffer.from(chunk).toString('latin1');
		for (const waiter of [...waiters]) {
			if (text.indexOf(waiter.text, waiter.from) >= 0) {
				waiters.splice(waiters.indexOf(waiter), 1);
				waiter.resolve();
			}
		}
	});
	return {
		get text() {
			return text;
		},
		/** Resolves when `wanted` has come, at or after index `from` of the output. */
		until(wanted: string, from = 0, timeoutMs = 10_000): Promise<void> {
			if (text.indexOf(wanted, from) >= 0) return Promise.resolve();
			return new Promise((resolve, reject) => {
				const timer = setTimeout(
					() => reject(new Error(`no ${JSON.stringify(wanted)} in ${JSON.stringify(text)}`)),
					timeoutMs,
				);
				waiters.push({
					text: wanted,
					from,
					resolve: () => {
						clearTimeout(timer);
						resolve();
					},
				});
			});
		},
	};
}

/** Types `line` at the friendly REPL over the link and waits for its answer and the next prompt. */
export async function typeLine(link: Link, output: ReturnType<typeof collect>, line: string, answer: string) {
	const from = output.text.length;
	await link.write(new TextEncoder().encode(`${line}\r`));
	await output.until(`${answer}\r\n>>> `, from);
}
