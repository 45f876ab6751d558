import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HeapSnapshot } from '../../source/heap/model.js';
import { parseMemInfo } from '../../source/heap/parse.js';
import { createFrameBench } from './frame.js';
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
	const bench = createFrameBench(first, 200, 60, { zoom: 'fit' });
	const redrawMs = median(timeMs(() => bench.frame(0, 'fit'), 30));
	let next = 0;
	const newReadingMs = median(
		timeMs(() => {
			next = (next + 1) % snapshots.length;
			// Each round has the next snapshot; the caches keyed on a snapshot are cold for the first round only.
			bench.frame(0, 'fit', snapshots[next]);
		}, 5),
	);
	bench.close();
	rows.push({ name: 'fit frame, 8 MiB heap at 200×60, redraw', value: redrawMs, unit: 'ms', note: '(aim ≤ 16 ms)' });
	rows.push({
		name: 'fit frame, same, a new reading',
		value: newReadingMs,
		unit: 'ms',
		note: 'packs 524,288 blocks into the fit (aim ≤ 16 ms)',
	});
	rows.push(...terminalBytes());
	return rows;
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

/** heaptop's bytes per refresh against htop's (refreshing every second too), at 80×24 and 200×60. */
function terminalBytes(): BenchRow[] {
	if (spawnSync('tmux', ['-V']).status !== 0) return [];
	const cli = new URL('../../dist/cli.js', import.meta.url).pathname;
	const seconds = 10;
	const out: BenchRow[] = [];
	const hasHtop = spawnSync('htop', ['--version']).status === 0;
	for (const [columns, rows] of [
		[80, 24],
		[200, 60],
	] as const) {
		const steady = paneBytes(`node ${cli} --demo`, columns, rows, seconds);
		// n runs the next step of the demo each second: a heap that changes at every refresh.
		const changing = paneBytes(`node ${cli} --demo`, columns, rows, seconds, 'n');
		const htop = hasHtop ? paneBytes('htop -d 10', columns, rows, seconds) : undefined;
		const perRefresh = (bytes: number | undefined) => (bytes === undefined ? Number.NaN : bytes / seconds);
		out.push({
			name: `bytes a refresh at ${columns}×${rows}, heap steady`,
			value: perRefresh(steady),
			unit: 'B',
			note: 'heaptop --demo, auto 1 s',
		});
		out.push({
			name: `bytes a refresh at ${columns}×${rows}, heap changing`,
			value: perRefresh(changing),
			unit: 'B',
			note: 'a demo step every second',
		});
		out.push({
			name: `htop's bytes a refresh at ${columns}×${rows}`,
			value: perRefresh(htop),
			unit: 'B',
			note: hasHtop ? 'htop -d 10 (every second), same pane size (aim: heaptop at or under)' : 'htop not installed',
		});
	}
	return out;
}
