import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HeapSnapshot } from '../../source/heap/model.js';
import { parseMemInfo } from '../../source/heap/parse.js';
import { importBundled } from './bundled.js';
import type * as FrameModule from './frame.js';
import { makeBigDump } from './make-big-dump.js';
import { type BenchRow, median, timeMs } from './measure.js';

/**
 * The live screen's own figures (issue 13): a frame of the 8 MiB heap in fit mode at 200×60, redrawn and
 * with a new reading each time, and the bytes sent to the terminal per refresh next to htop's at the same
 * size, both counted from a real tmux pane with pipe-pane.
 */
export async function benchScreen(): Promise<BenchRow[]> {
	const rows: BenchRow[] = [];
	const text = await makeBigDump();
	// Several readings of the same heap, each its own snapshot: a new reading repacks the whole map at the fit.
	const snapshots: HeapSnapshot[] = [];
	for (let index = 0; index < 6; index++) {
		const parsed = parseMemInfo(text);
		if (!parsed.ok) throw new Error(parsed.error.message);
		snapshots.push(parsed.snapshot);
	}
	const first = snapshots[0];
	if (!first) return rows;
	// Timed as shipped: bundled as npm run build bundles it (Ink inside, with the patches of its output stage).
	const { createFrameBench } = await importBundled<typeof FrameModule>(
		new URL('./frame.tsx', import.meta.url).pathname,
	);
	const bench = createFrameBench(first, 200, 60, { zoom: 'fit' });
	const redraw = timeFrames(() => bench.frame(0, 'fit'), 60);
	let next = 0;
	// Each round has the next snapshot; the caches keyed on a snapshot are cold for the first round only.
	const newReading = timeFrames(() => {
		next = (next + 1) % snapshots.length;
		bench.frame(0, 'fit', snapshots[next]);
	}, 20);
	bench.close();
	rows.push({
		name: 'fit frame, 8 MiB heap at 200×60, redraw',
		value: redraw.wallMs,
		unit: 'ms',
		note: `median of 60, through the frame writer; ${redraw.cpuMs.toFixed(1)} ms of CPU (aim ≤ 16 ms)`,
	});
	rows.push({
		name: 'fit frame, same, a new reading',
		value: newReading.wallMs,
		unit: 'ms',
		note: `median of 20; packs 524,288 blocks into the fit; ${newReading.cpuMs.toFixed(1)} ms of CPU (aim ≤ 16 ms)`,
	});
	rows.push(...terminalBytes());
	return rows;
}

/**
 * Medians of the wall time and of the process's CPU time of `work`, after one warm-up run. The CPU time is
 * printed beside the wall time: on a machine shared with other work the wall time counts their turns too.
 */
function timeFrames(work: () => unknown, times: number): { wallMs: number; cpuMs: number } {
	const cpu: number[] = [];
	const wall = timeMs(() => {
		const start = process.cpuUsage();
		work();
		const used = process.cpuUsage(start);
		cpu.push((used.user + used.system) / 1000);
	}, times);
	return { wallMs: median(wall), cpuMs: median(cpu.slice(1)) };
}

/** Bytes a program sends to a tmux pane of `columns`×`rows` over `seconds`, after its first screen. */
function paneBytes(command: string, columns: number, rows: number, seconds: number, keys?: string): number | undefined {
	const dir = mkdtempSync(join(tmpdir(), 'heaptop-bytes-'));
	const socket = `heaptop-bench-${process.pid}-${columns}`;
	const tmux = (...args: string[]) =>
		spawnSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
	try {
		const log = join(dir, 'bytes');
		tmux(
			'new-session',
			'-d',
			'-s',
			'b',
			'-x',
			String(columns),
			'-y',
			String(rows),
			'sh',
			'-c',
			`${command}; sleep 600`,
		);
		// The first screen is a whole paint for both programs; the refreshes after it are what is compared.
		spawnSync('sleep', ['4']);
		tmux('pipe-pane', '-t', 'b', '-o', `cat > ${log}`);
		const end = Date.now() + seconds * 1000;
		while (Date.now() < end) {
			if (keys) tmux('send-keys', '-t', 'b', keys);
			spawnSync('sleep', ['1']);
		}
		tmux('pipe-pane', '-t', 'b');
		return existsSync(log) ? readFileSync(log).length : undefined;
	} finally {
		tmux('kill-server');
		rmSync(dir, { recursive: true, force: true });
	}
}

/**
 * A system that changes while htop watches it, as a heap changes while heaptop does: every 0.4 s three short
 * processes start (new lines in htop's list, its task counts move) and a little CPU is spent (its meters and
 * the order of its list move). Light, on a machine shared with other work. Returns a function that stops it.
 */
function churn(): () => void {
	const script =
		'while :; do for i in 1 2 3; do sleep 0.9 & done; i=0; while [ $i -lt 4000 ]; do i=$((i+1)); done; sleep 0.4; done';
	const child = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' });
	return () => {
		// The loop and its sleeps are one process group, started here.
		if (child.pid !== undefined) {
			try {
				process.kill(-child.pid, 'SIGTERM');
			} catch {}
		}
	};
}

/**
 * heaptop's bytes per refresh against htop's, at 80×24 and 200×60, both refreshing every second and both
 * watching something that changes: heaptop's demo runs a step every second, htop a system with processes
 * coming and going (`churn`). Counted from a real tmux pane with pipe-pane, after the first screen.
 */
function terminalBytes(): BenchRow[] {
	if (spawnSync('tmux', ['-V']).status !== 0) return [];
	const cli = new URL('../../dist/cli.cjs', import.meta.url).pathname;
	const seconds = 10;
	const out: BenchRow[] = [];
	const hasHtop = spawnSync('htop', ['--version']).status === 0;
	const perRefresh = (bytes: number | undefined) => (bytes === undefined ? Number.NaN : bytes / seconds);
	for (const [columns, rows] of [
		[80, 24],
		[200, 60],
	] as const) {
		const steady = perRefresh(paneBytes(`node ${cli} --demo`, columns, rows, seconds));
		// n runs the next step of the demo each second: a heap that changes at every refresh. The default
		// scenario's steps rewrite nearly the whole heap (fill it, drop every other buffer, a fresh board); the
		// slow leak's add 40 events to a list, as a running program's heap changes between two refreshes.
		const changing = perRefresh(paneBytes(`node ${cli} --demo`, columns, rows, seconds, 'n'));
		const leaking = perRefresh(paneBytes(`node ${cli} --demo slow-leak`, columns, rows, seconds, 'n'));
		let htop = Number.NaN;
		if (hasHtop) {
			const stop = churn();
			try {
				htop = perRefresh(paneBytes('htop -d 10', columns, rows, seconds));
			} finally {
				stop();
			}
		}
		out.push({
			name: `bytes a refresh at ${columns}×${rows}, heap steady`,
			value: steady,
			unit: 'B',
			note: 'heaptop --demo, auto 1 s',
		});
		const ratio = (bytes: number) => (hasHtop ? `; ${(bytes / htop).toFixed(2)}x htop's (aim ≤ 1x)` : '');
		out.push({
			name: `bytes a refresh at ${columns}×${rows}, heap rewritten`,
			value: changing,
			unit: 'B',
			note: `a step of the fragmentation demo every second${ratio(changing)}`,
		});
		out.push({
			name: `bytes a refresh at ${columns}×${rows}, heap changing`,
			value: leaking,
			unit: 'B',
			note: `a step of the slow-leak demo every second${ratio(leaking)}`,
		});
		out.push({
			name: `htop's bytes a refresh at ${columns}×${rows}`,
			value: htop,
			unit: 'B',
			note: hasHtop ? 'htop -d 10 (every second), same pane size, processes coming and going' : 'htop not installed',
		});
	}
	return out;
}
