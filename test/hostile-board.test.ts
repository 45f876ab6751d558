import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { cliPath, heaptopAsync } from './helpers/heaptop.js';

/**
 * A hostile board (test/helpers/hostile-board.py, a pty whose far end answers the raw REPL with escape
 * sequences, C1 controls and bidi overrides in every field) against every surface that shows a board:
 * the TUI, --once, --json, --listen, imports --port and profile --port, and the resource attacks (a dump
 * that never ends, a 16 MiB frame, 1 byte a second). Each asserts the bytes that reach the terminal.
 */

const script = new URL('./helpers/hostile-board.py', import.meta.url).pathname;
const pythonSkip =
	spawnSync('python3', ['-c', 'import pty'], { stdio: 'ignore' }).status === 0
		? undefined
		: 'python3 with its pty module is needed for the hostile board (apt-get install -y python3)';
const scratch = mkdtempSync(join(tmpdir(), 'heaptop-hostile-'));
const boards: ChildProcess[] = [];
const links: string[] = [];
after(() => {
	for (const board of boards) board.kill('SIGKILL');
	for (const link of links) {
		rmSync(link, { force: true });
		rmSync(`${link}.state`, { force: true });
	}
	rmSync(scratch, { recursive: true, force: true });
});

/** Starts a hostile board in `mode`; resolves its port once the script says it is ready. */
function startBoard(mode: string): Promise<string> {
	// A short path, so that the header has room for what the board says about itself.
	const link = join(tmpdir(), `htb${process.pid}${mode.slice(0, 2)}${mode.length}`);
	links.push(link);
	const board = spawn('python3', [script, 'board', link, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
	boards.push(board);
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error('the hostile board did not start in 10 s')), 10_000);
		board.stdout?.on('data', (chunk: Buffer) => {
			if (chunk.toString().includes('ready')) {
				clearTimeout(timer);
				resolve(link);
			}
		});
		board.on('exit', (code) => reject(new Error(`the hostile board exited with ${code}`)));
	});
}

/** The only escape sequences heaptop itself sends: colour, cursor moves, erase, its screen modes. */
// Cursor moves: the frame writer sends only the changed columns of a line (line-diff.ts), each after the
// shortest move there: to a row and column (CUP, its short forms), to a column (CHA), or forward (CUF).
// biome-ignore lint/suspicious/noControlCharactersInRegex: escape sequences are what the test looks for.
const OWN_SEQUENCE = /^\x1b\[(?:[0-9;]*m|\d*(?:;\d+)?H|\d*[CG]|\?(?:2026|1049|25)[hl]|K|2J)$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: escape sequences are what the test looks for.
const ANY_SEQUENCE = /\x1b(?:\[[0-?]*[ -/]*[@-~]|[\s\S]?)/g;

/** What reached the terminal that heaptop did not write itself: foreign sequences and dangerous characters. */
function foreign(text: string): string[] {
	const found = [...text.matchAll(ANY_SEQUENCE)].map((match) => match[0]).filter((seq) => !OWN_SEQUENCE.test(seq));
	const withoutOwn = text.replace(ANY_SEQUENCE, '');
	// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what the test looks for.
	for (const match of withoutOwn.matchAll(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g)) {
		found.push(match[0]);
	}
	return found;
}

/**
 * The board's REPL (the script writes it to PORT.state at each change) once heaptop has exited: it must have
 * left the raw REPL. The board may still be acting on the last bytes heaptop sent, so a second is allowed.
 */
async function assertLeftFriendly(port: string, label: string): Promise<void> {
	let state = '';
	for (let tries = 0; tries < 20; tries++) {
		state = readFileSync(`${port}.state`, 'utf8');
		if (state === 'friendly') return;
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	assert.equal(state, 'friendly', `${label}: heaptop left the board in the raw REPL`);
}

function assertClean(label: string, ...outputs: string[]): void {
	for (const output of outputs)
		assert.deepEqual(foreign(output), [], `${label}: ${JSON.stringify(output.slice(0, 300))}`);
}

/**
 * Runs heaptop on a pty of 80x24 as a user's terminal and types q once `waitFor` is on its screen (or after
 * 60 s, and the test then fails on what is missing); every byte it printed.
 */
function onTerminal(args: string[], waitFor: string): Promise<{ code: number | null; bytes: string }> {
	const log = join(scratch, `terminal-${Date.now()}-${Math.random()}.log`);
	return new Promise((resolve, reject) => {
		const child = spawn('python3', [script, 'terminal', log, waitFor, '60', '--', process.execPath, cliPath, ...args], {
			stdio: 'ignore',
			env: { ...process.env, NO_COLOR: '' },
		});
		child.on('error', reject);
		child.on('exit', (code) => resolve({ code, bytes: readFileSync(log).toString('utf8') }));
	});
}

describe('a hostile board', { skip: pythonSkip, timeout: 300_000 }, () => {
	test('--once and --json: the figures, with every hostile field marked, nothing raw', async () => {
		const port = await startBoard('escapes');
		const once = await heaptopAsync(['--port', port, '--once']);
		assert.equal(once.code, 0, once.stderr);
		assert.match(once.stdout, /GC +total 140,032 B/);
		assert.match(once.stdout, /unknown cell letters/);
		assertClean('--once', once.stdout, once.stderr);
		const json = await heaptopAsync(['--port', port, '--once', '--json']);
		assertClean('--json', json.stdout, json.stderr);
		assert.equal((JSON.parse(json.stdout) as { gc: { totalBytes: number } }).gc.totalBytes, 140032);
	});

	test('the TUI: the header and the map of a hostile board; the terminal gets only heaptop’s own sequences', async () => {
		const port = await startBoard('escapes');
		const { code, bytes } = await onTerminal(['--port', port], '140,032');
		assert.equal(code, 0);
		assert.match(bytes, /MicroPython v1\.22\.1/, 'the header names the board');
		assert.match(bytes, /140,032/, 'the reading is shown');
		assertClean('TUI', bytes);
		assert.ok(bytes.endsWith('\x1b[?25h\x1b[?1049l'), 'the terminal is restored last');
	});

	test('--listen: a program printing escapes and dumps', async () => {
		const port = await startBoard('listen');
		const { code, bytes } = await onTerminal(['--listen', '--port', port], '140,032');
		assert.equal(code, 0);
		assert.match(bytes, /140,032/, 'its dump is shown');
		assertClean('--listen TUI', bytes);
	});

	test('imports --port and profile --port: board output and errors reach stdout and stderr marked', async () => {
		const port = await startBoard('escapes');
		const imports = await heaptopAsync(['imports', 'json', '--port', port]);
		assertClean('imports --port', imports.stdout, imports.stderr);
		assert.ok(!/\n +at /.test(imports.stderr), imports.stderr);
		const program = join(scratch, 'main.py');
		writeFileSync(program, 'x = 1\ny = [x] * 10\n');
		const profile = await heaptopAsync(['profile', program, '--port', port]);
		assertClean('profile --port', profile.stdout, profile.stderr);
		assert.ok(!/\n +at /.test(profile.stderr), profile.stderr);
	});

	test('--once against a dump that never ends, a 16 MiB frame, a dump at 1 byte a second and every answer at 1 byte a second: one clean line, exit 1, the board left at its friendly prompt', async () => {
		for (const mode of ['endless', 'huge', 'slow', 'slow-all']) {
			const port = await startBoard(mode);
			const run = await heaptopAsync(['--port', port, '--once']);
			assert.equal(run.code, 1, `${mode}: ${run.stderr}`);
			assert.equal(run.stdout, '', mode);
			assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
			if (mode.startsWith('slow')) assert.match(run.stderr, /too slowly ever to end/, mode);
			assertClean(mode, run.stdout, run.stderr);
			await assertLeftFriendly(port, mode);
		}
	});

	test('imports --port and profile --port against endless output, a 16 MiB frame and 1 byte a second: they end with one clean line, exit 1, the board left at its friendly prompt', async () => {
		const program = join(scratch, 'resource.py');
		writeFileSync(program, 'x = 1\n');
		for (const mode of ['endless', 'huge', 'slow-all']) {
			const port = await startBoard(mode);
			for (const args of [
				['imports', 'json', '--port', port],
				['profile', program, '--port', port],
			]) {
				const run = await heaptopAsync(args);
				const label = `${mode} ${args[0]}`;
				assert.equal(run.code, 1, `${label}: ${run.stderr}`);
				// profile says first that the program runs in the board's own namespace; then the one line.
				const lines = run.stderr.trim().split('\n');
				assert.ok(lines.length <= 2 && /^heaptop: /.test(lines.at(-1) ?? ''), `${label}: ${run.stderr}`);
				assert.ok(!/\n +at /.test(run.stderr), run.stderr);
				assertClean(label, run.stdout, run.stderr);
				await assertLeftFriendly(port, label);
			}
		}
	});

	test('--listen --once against a program that starts a dump and never ends it: the dump is ended where the GC total says it must, and warned', async () => {
		const port = await startBoard('listen-endless');
		const run = await heaptopAsync(['--listen', '--port', port, '--once', '--timeout', '20']);
		assert.equal(run.code, 0, run.stderr);
		assert.match(run.stdout, /^warnings {2}the map goes on past 611 lines, more than the GC total can hold/m);
		assertClean('listen-endless', run.stdout, run.stderr);
	});

	test('1 byte a second: q still quits at once and the terminal is restored', async () => {
		const port = await startBoard('slow');
		const { code, bytes } = await onTerminal(['--port', port], 'connecting');
		assert.equal(code, 0, 'q quit while the frame trickled in');
		assertClean('slow TUI', bytes);
		assert.ok(bytes.endsWith('\x1b[?25h\x1b[?1049l'));
	});
});
