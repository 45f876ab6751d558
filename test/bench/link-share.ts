import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createBoardSource } from '../../source/sources/board.js';
import type { HeapSource } from '../../source/sources/source.js';
import { startVirtualBoard } from '../../source/sources/virtual-board.js';
import { linkShare, planRefresh, type ReadSpan } from '../../source/ui/state/refresh-policy.js';
import type { BenchRow } from './measure.js';

/**
 * A slow link (the virtual board paced as a 115200-baud UART, its heap fragmented so a dump takes over a second):
 * how long `g` takes to the last map row, and the share of the link auto-refresh uses at each interval, by the
 * policy the TUI runs (`planRefresh`) and by the tick-every-interval it replaced. Real readings, real time.
 */

// Many small objects, every other one kept: a map with a run boundary every few blocks, as a busy program leaves.
const fragmentingMain = [
	'keep = []',
	'for i in range(2600):',
	'    b = bytearray(16 + (i % 5) * 16)',
	'    if i % 2 == 0:',
	'        keep.append(b)',
	'b = None',
	'',
].join('\n');

async function timed(source: HeapSource, collect: boolean): Promise<ReadSpan> {
	const startMs = performance.now();
	await source.read({ collect });
	return { kind: 'full', startMs, endMs: performance.now() };
}

/** A light reading (the GC's totals in one line), timed as auto-refresh times it. */
async function timedLight(source: HeapSource): Promise<ReadSpan> {
	const startMs = performance.now();
	await source.readLight?.();
	return { kind: 'light', startMs, endMs: performance.now() };
}

/** Auto-refresh as the TUI runs it now, for `forMs`; the share of the link it used. */
async function adaptive(
	source: HeapSource,
	intervalMs: number,
	forMs: number,
): Promise<{ share: number; lights: number }> {
	const spans: ReadSpan[] = [];
	const begin = performance.now();
	let lastFull: ReadSpan | undefined;
	let lights: ReadSpan[] = [];
	for (;;) {
		const nowMs = performance.now();
		const plan = planRefresh({
			intervalMs,
			...(lastFull ? { lastFull } : {}),
			lightsSinceFull: lights,
			inFlight: false,
			canReadLight: source.readLight !== undefined,
			nowMs,
		});
		// Whole cycles only: the share runs to the start the policy plans next, so the idle half is counted.
		if (!plan) break;
		if (plan.kind === 'full' && plan.atMs - begin >= forMs) {
			return {
				share: linkShare(spans, begin, plan.atMs),
				lights: spans.filter((span) => span.kind === 'light').length,
			};
		}
		await sleep(plan.atMs - nowMs);
		if (plan.kind === 'light') {
			const light = await timedLight(source);
			lights.push(light);
			spans.push(light);
			continue;
		}
		lastFull = await timed(source, false);
		lights = [];
		spans.push(lastFull);
	}
	return { share: Number.NaN, lights: 0 };
}

/** The old auto-refresh: a tick every interval, a reading at each tick unless one is under way. */
async function everyInterval(source: HeapSource, intervalMs: number, forMs: number): Promise<number> {
	const spans: ReadSpan[] = [];
	const begin = performance.now();
	let reading: Promise<void> | undefined;
	for (let tick = 1; tick * intervalMs < forMs; tick++) {
		await sleep(begin + tick * intervalMs - performance.now());
		if (reading) continue;
		reading = timed(source, false).then((span) => {
			spans.push(span);
			reading = undefined;
		});
	}
	await reading;
	return linkShare(spans, begin, begin + forMs);
}

export async function benchLinkShare(): Promise<BenchRow[]> {
	const dir = mkdtempSync(join(tmpdir(), 'heaptop-bench-link-'));
	const rows: BenchRow[] = [];
	try {
		const board = await startVirtualBoard({
			ptyPath: join(dir, 'slow-board'),
			heapBytes: 256 * 1024,
			mainProgram: fragmentingMain,
			faults: { paceBaud: 115200 },
		});
		const source = createBoardSource({ port: board.path });
		try {
			await source.start();
			const dump = await timed(source, false);
			// The first streamed bytes of the dump, as the board source reports them (its progress events).
			let firstProgressMs: number | undefined;
			let partialMs: number | undefined;
			const unsubscribe = source.subscribe((event) => {
				if (event.type !== 'progress') return;
				firstProgressMs ??= performance.now();
				if (event.partial?.map) partialMs ??= performance.now();
			});
			const collect = await timed(source, true);
			unsubscribe();
			const dumpMs = dump.endMs - dump.startMs;
			rows.push({
				name: 'g to the last map row, 115200 baud',
				value: collect.endMs - collect.startMs,
				unit: 'ms',
				note: `collect + whole dump of a fragmented 256 KiB heap; a plain dump ${dumpMs.toFixed(0)} ms`,
			});
			rows.push({
				name: 'g to the first bytes of the dump, 115200 baud',
				value: firstProgressMs === undefined ? Number.NaN : firstProgressMs - collect.startMs,
				unit: 'ms',
				note:
					firstProgressMs === undefined
						? 'no progress event from the board source'
						: "the board source's first progress event",
			});
			rows.push({
				name: 'g to the first map row, 115200 baud',
				value: partialMs === undefined ? Number.NaN : partialMs - collect.startMs,
				unit: 'ms',
				note:
					partialMs === undefined
						? 'aim ≤ 100 ms after the first bytes: progress events carry no partial map yet'
						: 'a progress event with a partial map (aim ≤ 100 ms after the first bytes)',
			});
			for (const intervalMs of [250, 1000, 5000]) {
				const forMs = Math.max(3 * intervalMs, 5 * dumpMs);
				const now = await adaptive(source, intervalMs, forMs);
				const before = await everyInterval(source, intervalMs, forMs);
				rows.push({
					name: `link share, auto-refresh every ${intervalMs} ms`,
					value: now.share * 100,
					unit: '%',
					note: `aim ≤ 50 %; ${now.lights} light readings between dumps; the tick-every-interval it replaced: ${(before * 100).toFixed(0)} %`,
				});
			}
		} finally {
			await source.close();
			await board.close();
		}
	} catch (error) {
		rows.push({ name: 'slow link', value: Number.NaN, unit: '', note: `skipped: ${String(error)}` });
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
	return rows;
}
