import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startVirtualBoard, type VirtualBoard } from '../source/sources/virtual-board.js';
import { friendly } from './helpers/friendly-repl.js';
import { cliPath } from './helpers/heaptop.js';
import { socatSkip } from './helpers/socat.js';
import { hasTmux, startPane } from './helpers/tmux.js';

/*
 * Exit safety, owned by the session (source/session/exit-guard.ts), tried as a user meets it: the built command
 * on the virtual board (the real MicroPython VM behind a real pty), ended by a signal at many moments across
 * its start window, in every mode. After each, the board must be at the friendly `>>> ` with the variable set
 * before heaptop ran.
 */

const dir = mkdtempSync(join(tmpdir(), 'heaptop-session-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'];

/** Resolves when `check` holds, polling a counter the virtual board keeps; rejects after `timeoutMs`. */
async function until(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 2));
	}
}

function exited(child: ChildProcess, timeoutMs = 10_000): Promise<{ code: number | null; signal: string | null }> {
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error('heaptop did not end after the signal'));
		}, timeoutMs);
		child.on('exit', (code, signal) => {
			clearTimeout(timer);
			resolve({ code, signal });
		});
	});
}

/** The board is at `>>> ` and still knows what the user set before heaptop ran. */
async function assertBoardAsLeft(board: VirtualBoard, what: string): Promise<void> {
	const answer = await friendly(board.path, 'print(kept_before_heaptop)').catch((error: unknown) => {
		throw new Error(`${what}: the board is not at its friendly prompt: ${(error as Error).message}`);
	});
	assert.match(answer, /\r\n4242\r\n>>> $/, what);
}

type Moment = { afterSpawnMs: number } | { afterBoardHearsMs: number };

function describeMoment(moment: Moment): string {
	return 'afterSpawnMs' in moment
		? `${moment.afterSpawnMs} ms after start`
		: `${moment.afterBoardHearsMs} ms after the board heard the first byte`;
}

/** Runs heaptop, signals it at `moment`, and checks how it ended and how it left the board. */
async function signalAt(board: VirtualBoard, args: string[], signal: NodeJS.Signals, moment: Moment): Promise<void> {
	const heard = board.inputBytes;
	const child = spawn(process.execPath, [cliPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
	let stderr = '';
	child.stderr?.on('data', (chunk: Buffer) => {
		stderr += chunk.toString();
	});
	child.stdout?.resume();
	const ended = exited(child, 20_000);
	if ('afterSpawnMs' in moment) {
		await new Promise((resolve) => setTimeout(resolve, moment.afterSpawnMs));
	} else {
		await until(() => board.inputBytes > heard, 'the board to hear heaptop');
		if (moment.afterBoardHearsMs > 0) await new Promise((resolve) => setTimeout(resolve, moment.afterBoardHearsMs));
	}
	child.kill(signal);
	const { code, signal: killedBy } = await ended;
	const what = `${args.join(' ')}: ${signal} ${describeMoment(moment)}`;
	// Done before the signal (0), ended by it as the shell expects (128 + its number), or, before a session
	// exists or after it closed, ended by the signal's default action (which the shell reports as 128 + n too).
	assert.ok(
		code === 0 || code === 128 + constants.signals[signal] || killedBy === signal,
		`${what}: exit ${code} (${killedBy}), stderr ${stderr}`,
	);
	assert.doesNotMatch(stderr, /internal error|at .*\.js:\d+/, `${what}: no stack trace`);
	await assertBoardAsLeft(board, what);
}

const moments: Moment[] = [
	{ afterSpawnMs: 150 },
	{ afterSpawnMs: 400 },
	{ afterBoardHearsMs: 0 },
	{ afterBoardHearsMs: 5 },
	{ afterBoardHearsMs: 20 },
	{ afterBoardHearsMs: 50 },
	{ afterBoardHearsMs: 100 },
	{ afterBoardHearsMs: 200 },
	{ afterBoardHearsMs: 400 },
];

describe(
	'a signal at any moment leaves the board at its friendly prompt',
	{ timeout: 600_000, skip: socatSkip() },
	() => {
		let board: VirtualBoard;
		before(async () => {
			// Paced like a 115200-baud UART, so that the start (probe, identify, a dump) takes long enough to be hit.
			board = await startVirtualBoard({ ptyPath: join(dir, 'board'), faults: { paceBaud: 115_200 } });
			await friendly(board.path, 'kept_before_heaptop = 4242');
		});
		after(async () => {
			await board.close();
		});

		test('--once: each signal at each moment of the start window', async () => {
			for (const [index, moment] of moments.entries()) {
				for (const offset of [0, 2]) {
					const signal = signals[(index + offset) % signals.length] ?? 'SIGTERM';
					await signalAt(board, ['--port', board.path, '--once'], signal, moment);
				}
			}
		});

		test('--json --interval: each signal during the start and between readings', async () => {
			const streamMoments: Moment[] = [
				{ afterBoardHearsMs: 0 },
				{ afterBoardHearsMs: 60 },
				{ afterBoardHearsMs: 300 },
				{ afterBoardHearsMs: 1500 },
			];
			for (const [index, moment] of streamMoments.entries()) {
				for (const offset of [0, 1]) {
					const signal = signals[(index * 2 + offset) % signals.length] ?? 'SIGHUP';
					await signalAt(board, ['--port', board.path, '--json', '--interval', '1s'], signal, moment);
				}
			}
		});

		test('profile --port: a signal while our statement runs stops it (Ctrl-C) before leaving (Ctrl-B)', async () => {
			const script = join(dir, 'slow.py');
			writeFileSync(script, 'import time\ntime.sleep_ms(4000)\n');
			for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
				await signalAt(board, ['profile', script, '--port', board.path], signal, { afterBoardHearsMs: 900 });
			}
		});

		test('imports --port: a signal during the import', async () => {
			for (const signal of ['SIGQUIT', 'SIGTERM'] as const) {
				await signalAt(board, ['imports', 'json', '--port', board.path], signal, { afterBoardHearsMs: 150 });
			}
		});

		test(
			'the live screen: each signal across its start, and the terminal is given back',
			{ skip: hasTmux() ? false : 'needs tmux' },
			async () => {
				const screenMoments: Moment[] = [
					{ afterBoardHearsMs: 0 },
					{ afterBoardHearsMs: 40 },
					{ afterBoardHearsMs: 150 },
					{ afterBoardHearsMs: 1200 },
				];
				for (const [index, moment] of screenMoments.entries()) {
					const signal = signals[index % signals.length] ?? 'SIGTERM';
					const pidFile = join(dir, `tui-${index}.pid`);
					const heard = board.inputBytes;
					const pane = startPane({
						command: `echo $$ > ${pidFile}; ${process.execPath} ${cliPath} --port ${board.path}; echo heaptop-ended; sleep 60`,
						columns: 100,
						rows: 30,
					});
					try {
						if ('afterBoardHearsMs' in moment) {
							await until(() => board.inputBytes > heard, 'the board to hear the screen');
							if (moment.afterBoardHearsMs > 0)
								await new Promise((resolve) => setTimeout(resolve, moment.afterBoardHearsMs));
						}
						// heaptop is the shell's one child.
						const shell = readFileSync(pidFile, 'utf8').trim();
						const pid = Number(readFileSync(`/proc/${shell}/task/${shell}/children`, 'utf8').trim().split(' ')[0]);
						process.kill(pid, signal);
						await pane.waitFor((text) => text.includes('heaptop-ended'), `the screen to end after ${signal}`);
						assert.equal(pane.alternateOn(), false, 'back on the normal screen');
						assert.equal(pane.cursorVisible(), true, 'the cursor is shown again');
						await assertBoardAsLeft(board, `the screen: ${signal} ${describeMoment(moment)}`);
					} finally {
						pane.kill();
					}
				}
			},
		);
	},
);

describe('a crash with a board session open', { timeout: 120_000, skip: socatSkip() }, () => {
	test('an uncaught exception or an unhandled rejection leaves the raw REPL first, Ctrl-C first if our command runs', async () => {
		const board = await startVirtualBoard({ ptyPath: join(dir, 'crash-board') });
		try {
			await friendly(board.path, 'kept_before_heaptop = 4242');
			const helper = new URL('./helpers/crash-in-session.ts', import.meta.url).pathname;
			for (const mode of ['exception', 'rejection', 'exception-mid-exec', 'rejection-mid-exec']) {
				const child = spawn(process.execPath, ['--import', 'tsx', helper, board.path, mode], {
					stdio: ['ignore', 'ignore', 'pipe'],
				});
				let stderr = '';
				child.stderr?.on('data', (chunk: Buffer) => {
					stderr += chunk.toString();
				});
				const { code } = await exited(child, 20_000);
				assert.equal(code, 1, `${mode}: ${stderr}`);
				assert.match(stderr, /internal error \(the board was left at its friendly prompt\)/, mode);
				await assertBoardAsLeft(board, mode);
			}
		} finally {
			await board.close();
		}
	});
});

describe('a reply that never ends', { timeout: 180_000, skip: socatSkip() }, () => {
	// The board's own micropython module swapped for one whose mem_info prints for ever: the real VM, misbehaving.
	// The line is made once: the WebAssembly VM cannot collect while Python runs, so a loop that allocated
	// would end in MemoryError instead of printing for ever. The pause keeps it near what a pty carries (the
	// virtual board queues without limit what the VM prints faster than that, which a real UART cannot do).
	const endless =
		'import time as _t;_line=\'x\'*600;exec("def _endless(*a):\\n while True:\\n  print(_line)\\n  _t.sleep_ms(1)");import sys;' +
		"sys.modules['micropython']=type('M',(),{'mem_info':staticmethod(_endless)})";

	/** Largest resident set of `pid` until it ends, read from /proc. */
	async function peakRssBytes(pid: number, ended: Promise<unknown>): Promise<number> {
		let peak = 0;
		let done = false;
		void ended.then(() => {
			done = true;
		});
		while (!done) {
			try {
				const status = readFileSync(`/proc/${pid}/status`, 'utf8');
				const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
				peak = Math.max(peak, kb * 1024);
			} catch {
				break;
			}
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
		return peak;
	}

	test('--once ends with one line, its memory bounded, and the board is left at >>>', async () => {
		const board = await startVirtualBoard({ ptyPath: join(dir, 'endless-board') });
		try {
			await friendly(board.path, 'kept_before_heaptop = 4242');
			await friendly(board.path, endless);
			const child = spawn(process.execPath, [cliPath, '--port', board.path, '--once'], {
				stdio: ['ignore', 'pipe', 'pipe'],
			});
			let stderr = '';
			child.stderr?.on('data', (chunk: Buffer) => {
				stderr += chunk.toString();
			});
			child.stdout?.resume();
			const ended = exited(child, 120_000);
			const peak = await peakRssBytes(child.pid ?? 0, ended);
			const { code } = await ended;
			assert.equal(code, 1, stderr);
			assert.equal(stderr.trim().split('\n').length, 1, `one line: ${stderr}`);
			assert.match(stderr, /kept printing after our command, without end/);
			assert.ok(peak < 200 * 1024 * 1024, `peak RSS ${Math.round(peak / 1024 / 1024)} MB`);
			process.stdout.write(`# endless reply: exit ${code}, peak RSS ${Math.round(peak / 1024 / 1024)} MB: ${stderr}`);
			// The virtual board queues what the VM printed before the Ctrl-C took (a real UART cannot run ahead so):
			// let that drain through the pty before typing.
			await friendly(board.path, "del sys.modules['micropython']", 120_000);
			await assertBoardAsLeft(board, 'after an endless reply');
		} finally {
			await board.close();
		}
	});

	test('a signal while the reply floods in still leaves the board at >>>', async () => {
		const board = await startVirtualBoard({ ptyPath: join(dir, 'endless-board-2') });
		try {
			await friendly(board.path, 'kept_before_heaptop = 4242');
			await friendly(board.path, endless);
			for (const signal of ['SIGTERM', 'SIGHUP'] as const) {
				await signalAt(board, ['--port', board.path, '--json', '--interval', '1s'], signal, { afterBoardHearsMs: 700 });
			}
			await friendly(board.path, "del sys.modules['micropython']", 120_000);
			await assertBoardAsLeft(board, 'after a signal during an endless reply');
		} finally {
			await board.close();
		}
	});
});

describe(
	'the live screen on a board that does not answer yet',
	{
		timeout: 120_000,
		skip: socatSkip() ?? (hasTmux() ? undefined : 'needs tmux'),
	},
	() => {
		test('is drawn at once, answers keys, says not answering, and goes live by itself when the line is back', async () => {
			const board = await startVirtualBoard({ ptyPath: join(dir, 'silent-board') });
			await friendly(board.path, 'kept_before_heaptop = 4242');
			// The line goes dead from the board's first answer to heaptop, for 4 s, both ways.
			board.arm({ cutAfterBytes: 0, cutForMs: 4000 });
			const pane = startPane({
				command: `${process.execPath} ${cliPath} --port ${board.path}; echo heaptop-ended; sleep 60`,
				columns: 100,
				rows: 30,
			});
			try {
				await pane.waitFor((text) => text.includes('heaptop') && text.includes(board.path), 'the screen', 10_000);
				await pane.waitFor((text) => /not answering/.test(text), 'not answering', 10_000);
				pane.sendKeys('?');
				await pane.waitFor((text) => /quit/.test(text), 'the help, while not answering');
				pane.sendKeys('Escape');
				// Live again by itself: the first reading is on the screen.
				await pane.waitFor((text) => /fragmentation/.test(text) && !/not answering/.test(text), 'a reading', 15_000);
				pane.sendKeys('q');
				await pane.waitFor((text) => text.includes('heaptop-ended'), 'heaptop to quit');
				await assertBoardAsLeft(board, 'after a stall under the screen');
			} finally {
				pane.kill();
				await board.close();
			}
		});
	},
);
