import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { decodeRecording } from '../source/recording/format.js';
import { busyProgram, startVirtualBoard } from '../source/sources/virtual-board.js';
import { heaptopAsync } from './helpers/heaptop.js';
import { socatSkip } from './helpers/socat.js';

/**
 * `--listen` without a terminal, as a script runs it: `--once` waits for the program's next dump, `--json`
 * streams each dump as the program prints it, `--timeout` bounds the wait. The program is real MicroPython on
 * the virtual board, printing its own mem_info(1) as the snippet tells users to.
 */

const dir = mkdtempSync(join(tmpdir(), 'heaptop-cli-listen-'));
const dumping = ['import micropython, time', 'n = 0', 'while True:', '    n += 1', "    print('loop', n)"]
	.concat(['    micropython.mem_info(1)', '    time.sleep_ms(150)', ''])
	.join('\n');

describe('heaptop --listen without a terminal', { skip: socatSkip(), timeout: 120_000 }, () => {
	let boards: Array<Awaited<ReturnType<typeof startVirtualBoard>>> = [];
	let dumper = '';
	let quiet = '';
	let burster = '';
	before(async () => {
		const withDumps = await startVirtualBoard({
			ptyPath: join(dir, 'dumps'),
			mainProgram: dumping,
			heapBytes: 64 * 1024,
		});
		const without = await startVirtualBoard({ ptyPath: join(dir, 'quiet'), mainProgram: busyProgram() });
		// Dumps back to back: more come while heaptop closes after its last line.
		const bursting = await startVirtualBoard({
			ptyPath: join(dir, 'burst'),
			mainProgram: dumping.replace('time.sleep_ms(150)', 'time.sleep_ms(1)'),
			heapBytes: 16 * 1024,
		});
		boards = [withDumps, without, bursting];
		dumper = withDumps.path;
		burster = bursting.path;
		quiet = without.path;
	});
	after(async () => {
		for (const board of boards) await board.close();
		rmSync(dir, { recursive: true, force: true });
	});

	test('--once prints the next dump the program prints, and exits 0', async () => {
		const run = await heaptopAsync(['--listen', '--port', dumper, '--once', '--json']);
		assert.equal(run.code, 0, run.stderr);
		assert.equal(JSON.parse(run.stdout).gc.totalBytes, 64000);
	});

	test('--json streams each dump as it comes, --count stops it, --record keeps the same lines', async () => {
		const recording = join(dir, 'listened.jsonl');
		const run = await heaptopAsync(['--listen', '--port', dumper, '--json', '--count', '3', '--record', recording]);
		assert.equal(run.code, 0, run.stderr);
		const lines = run.stdout
			.trim()
			.split('\n')
			.map((line) => JSON.parse(line));
		assert.equal(lines.length, 3);
		const times = lines.map((line) => line.atMs);
		assert.ok(times[0] < times[1] && times[1] < times[2], `one line per dump, in order: ${times.join(' ')}`);
		const { readings } = decodeRecording(readFileSync(recording, 'utf8'));
		assert.deepEqual(
			readings.map((reading) => reading.atMs),
			times,
		);
	});

	test('--record keeps the lines printed, not the dumps that came while heaptop closed', async () => {
		for (const args of [['--json', '--count', '2'], ['--once']]) {
			const recording = join(dir, `burst-${args.length}.jsonl`);
			const run = await heaptopAsync(['--listen', '--port', burster, ...args, '--record', recording]);
			assert.equal(run.code, 0, run.stderr);
			const { readings } = decodeRecording(readFileSync(recording, 'utf8'));
			assert.equal(readings.length, args.includes('--once') ? 1 : 2, `${args.join(' ')}: one reading a line`);
		}
	});

	test('a program that prints no dump: --timeout ends the wait in one line, exit 1', async () => {
		for (const args of [['--once'], ['--json']]) {
			const run = await heaptopAsync(['--listen', '--port', quiet, ...args, '--timeout', '500ms']);
			assert.equal(run.code, 1, run.stderr);
			assert.equal(run.stdout, '');
			assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
			assert.match(run.stderr, /^heaptop: no heap dump from .* within 0\.5 s \(--timeout\)/);
		}
	});
});

describe('heaptop --listen over the network links', { timeout: 120_000 }, () => {
	const boards: Array<Awaited<ReturnType<typeof startVirtualBoard>>> = [];
	after(async () => {
		for (const board of boards) await board.close();
	});

	for (const kind of ['tcp', 'rfc2217', 'webrepl'] as const) {
		test(`${kind}: --json streams the program's dumps, read without a byte written`, async () => {
			const board = await startVirtualBoard({
				endpoint:
					kind === 'webrepl'
						? { kind, host: '127.0.0.1', port: 0, password: 'micro' }
						: { kind, host: '127.0.0.1', port: 0 },
				mainProgram: dumping,
				heapBytes: 64 * 1024,
			});
			boards.push(board);
			const run = await heaptopAsync(['--listen', '--port', board.path, '--json', '--count', '2'], {
				env: { WEBREPL_PASSWORD: 'micro' },
			});
			assert.equal(run.code, 0, run.stderr);
			const lines = run.stdout
				.trim()
				.split('\n')
				.map((line) => JSON.parse(line));
			assert.equal(lines.length, 2);
			for (const line of lines) assert.equal(line.gc.totalBytes, 64000);
			// Passive: not one REPL byte reached the board (the WebREPL's login is the link's own, before the REPL).
			assert.equal(board.inputBytes, 0);
		});
	}
});
