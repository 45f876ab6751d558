import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBoardSource } from '../../source/sources/board.js';
import { startVirtualBoard } from '../../source/sources/virtual-board.js';
import { type BenchRow, median } from './measure.js';

const cliPath = new URL('../../dist/cli.cjs', import.meta.url).pathname;
const serialportPath = new URL('../../node_modules/serialport/dist/index.js', import.meta.url).href;

/**
 * The least a raw-REPL client can do for one snapshot, written for this bench only: open, `\r` Ctrl-A, wait for
 * the banner, send the snapshot command and Ctrl-D, read to the end of the frame, Ctrl-B, close. No framing
 * checks, no busy detection, no recovery: the floor heaptop is compared with.
 */
const minimalClient = `
import { SerialPort } from ${JSON.stringify(serialportPath)};
const port = new SerialPort({ path: process.argv[1], baudRate: 115200, lock: true });
let seen = '';
let stage = 0;
port.on('data', (chunk) => {
	seen += chunk.toString('latin1');
	if (stage === 0 && seen.endsWith('raw REPL; CTRL-B to exit\\r\\n>')) {
		stage = 1; seen = '';
		port.write("__import__('micropython').mem_info(1)\\x04");
	} else if (stage === 1 && seen.endsWith('\\x04\\x04>')) {
		stage = 2;
		process.stdout.write(seen.slice(2, seen.indexOf('\\x04')));
		port.write('\\r\\x02', () => port.drain(() => port.close()));
	}
});
port.on('open', () => port.write('\\r\\x01'));
`;

/** Runs a process to its end; the virtual board lives in this process, so the wait must not block it. */
function runOnce(command: string, args: string[]): Promise<{ code: number | null; stderr: string }> {
	return new Promise((resolve) => {
		const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 20_000 });
		let stderr = '';
		child.stderr?.on('data', (data: Buffer) => {
			stderr += data.toString();
		});
		child.on('close', (code) => resolve({ code, stderr }));
	});
}

async function processMs(
	command: string,
	args: string[],
	times: number,
): Promise<{ ms: number; ok: boolean; stderr: string }> {
	const durations: number[] = [];
	for (let run = 0; run <= times; run++) {
		const start = performance.now();
		const result = await runOnce(command, args);
		const duration = performance.now() - start;
		if (result.code !== 0) return { ms: Number.NaN, ok: false, stderr: result.stderr.trim().split('\n').at(-1) ?? '' };
		if (run > 0) durations.push(duration); // the first run warms the file cache
	}
	return { ms: median(durations), ok: true, stderr: '' };
}

/** Startup plus one round trip to the virtual board: heaptop as a process against the minimal client. */
export async function benchSerial(): Promise<BenchRow[]> {
	const dir = mkdtempSync(join(tmpdir(), 'heaptop-bench-'));
	const board = await startVirtualBoard({ ptyPath: join(dir, 'board') });
	const rows: BenchRow[] = [];
	try {
		const floor = await processMs(process.execPath, ['--input-type=module', '-e', minimalClient, board.path], 10);
		rows.push({
			name: 'minimal raw-REPL client, whole process',
			value: floor.ok ? floor.ms : Number.NaN,
			unit: 'ms',
			note: floor.ok ? 'the floor' : floor.stderr,
		});
		const heaptop = await processMs(process.execPath, [cliPath, '--once', '--json', '--port', board.path], 10);
		rows.push(
			heaptop.ok
				? { name: 'heaptop --once --json --port VIRTUAL', value: heaptop.ms, unit: 'ms', note: 'aim: floor + startup' }
				: { name: 'heaptop --once --json --port VIRTUAL', value: Number.NaN, unit: 'ms', note: heaptop.stderr },
		);

		const source = createBoardSource({ port: board.path });
		let start = performance.now();
		await source.start();
		rows.push({ name: 'board source: open, probe, identify', value: performance.now() - start, unit: 'ms' });
		const reads: number[] = [];
		const collects: number[] = [];
		for (let run = 0; run < 20; run++) {
			start = performance.now();
			await source.read({ collect: false });
			reads.push(performance.now() - start);
			start = performance.now();
			await source.read({ collect: true });
			collects.push(performance.now() - start);
		}
		rows.push({ name: 'board source: one snapshot (round trip)', value: median(reads), unit: 'ms' });
		rows.push({ name: 'board source: collect + snapshot', value: median(collects), unit: 'ms' });
		start = performance.now();
		await source.close();
		rows.push({ name: 'board source: Ctrl-B and close', value: performance.now() - start, unit: 'ms' });

		// A UART board's pace: what crosses the line is what costs. Profiling reads one number per step and a
		// whole dump only on failure; run twice per timing, the board's namespace is already warm after the first.
		const slow = await startVirtualBoard({ ptyPath: join(dir, 'slow-board'), faults: { paceBaud: 115200 } });
		try {
			const example = new URL('../../examples/main.py', import.meta.url).pathname;
			const profile = await processMs(process.execPath, [cliPath, 'profile', example, '--port', slow.path], 4);
			rows.push({
				name: 'heaptop profile examples/main.py, 115200 baud',
				value: profile.ok ? profile.ms : Number.NaN,
				unit: 'ms',
				note: profile.ok ? '10 statements, whole process' : profile.stderr,
			});
		} finally {
			await slow.close();
		}
	} finally {
		await board.close();
		rmSync(dir, { recursive: true, force: true });
	}
	return rows;
}
