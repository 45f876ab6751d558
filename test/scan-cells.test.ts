import assert from 'node:assert/strict';
import { test } from 'node:test';
import { areaRuns } from '../source/heap/area-runs.js';
import { Cells } from '../source/heap/cells.js';
import { parseAllMemInfo } from '../source/heap/parse.js';
import { scanCells } from '../source/heap/scan-cells.js';
import { memInfoFixtures, readMemInfoFixture } from './helpers/fixtures.js';

const FREE = 0x2e;

/** One area whose free runs have the given lengths, each after a one-block head; elided runs cost nothing. */
function areaWithFreeRuns(lengths: readonly number[]) {
	const segments = lengths.flatMap((count) => [{ text: 'A' }, { code: FREE, count }]);
	return { address: '', cells: new Cells(segments) };
}

test('each free run is counted in the bucket of the power of two at or below it, at every edge up to 2^53', () => {
	const lengths: number[] = [];
	for (let power = 0; power <= 52; power++) {
		const low = 2 ** power;
		lengths.push(low, low + 1, 2 ** (power + 1) - 1);
	}
	lengths.push(Number.MAX_SAFE_INTEGER);
	for (const count of lengths) {
		const map = scanCells([areaWithFreeRuns([count])]);
		const bucket = map.freeRunHistogram.findIndex((runs) => runs > 0);
		assert.equal(map.freeRunHistogram[bucket], 1, `${count}`);
		assert.ok(2 ** bucket <= count && count < 2 ** (bucket + 1), `${count} went to bucket ${bucket}`);
		assert.equal(map.maxFreeBlocks, count);
	}
	// All of them in one map: one run a bucket entry each, nothing lost between the fast path and the slow one.
	const map = scanCells([areaWithFreeRuns(lengths)]);
	assert.equal(
		map.freeRunHistogram.reduce((sum, runs) => sum + runs, 0),
		lengths.length,
	);
	assert.equal(map.freeRuns, lengths.length);
	assert.equal(map.kinds.A?.objects, lengths.length);
});

/** Runs the plain way, one cell at a time: a free run, a head and its tails, or tails with no head. */
function referenceRuns(cells: string): [number, number, string][] {
	const runs: [number, number, string][] = [];
	for (let at = 0; at < cells.length; at++) {
		const letter = cells[at] ?? '.';
		const last = runs[runs.length - 1];
		const joins = last && ((letter === '.' && last[2] === '.') || (letter === '=' && last[2] !== '.'));
		if (last && joins) last[1]++;
		else runs.push([at, 1, letter]);
	}
	return runs;
}

const runsOf = (runs: ReturnType<typeof areaRuns>) =>
	Array.from({ length: runs.count }, (_, run) => [
		runs.start[run],
		runs.length[run],
		String.fromCharCode(runs.code[run] ?? 0),
	]);

test("an area's runs are its own whichever areas were read in between, and agree with a cell-by-cell walk", () => {
	const snapshots = memInfoFixtures().flatMap(({ text }) => parseAllMemInfo(text));
	const areas = snapshots.flatMap((snapshot) => snapshot.areas).filter((area) => area.cells.length > 0);
	assert.ok(areas.length >= 10, `${areas.length} areas among the captures`);
	// Each parse read its areas' runs for the figures, the last of them left in the reused arrays; asking for
	// them now, in another order, must never hand one area the runs of another.
	for (const area of [...areas].reverse()) {
		assert.deepEqual(runsOf(areaRuns(area)), referenceRuns(area.cells.slice()));
	}
	const [first, second] = parseAllMemInfo(readMemInfoFixture('qemu-mps2an385-v1.29pre-two-dumps-before-after-gc.txt'));
	const a = first?.areas[0];
	const b = second?.areas[0];
	assert.ok(a && b);
	assert.deepEqual(runsOf(areaRuns(a)), referenceRuns(a.cells.slice()), 'read before the second dump was');
	assert.deepEqual(runsOf(areaRuns(b)), referenceRuns(b.cells.slice()));
});

test('runs of random maps, printed and repeated segments mixed, agree with a cell-by-cell walk', () => {
	let state = 11;
	const next = () => {
		state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
		return state / 2 ** 32;
	};
	const letters = '..==hhA';
	for (let round = 0; round < 500; round++) {
		const segments: ({ text: string } | { code: number; count: number })[] = [];
		let whole = '';
		for (let part = 0; part < 1 + Math.floor(next() * 6); part++) {
			if (next() < 0.3) {
				const letter = letters[Math.floor(next() * letters.length)] ?? '.';
				const count = 1 + Math.floor(next() * 5);
				segments.push({ code: letter.charCodeAt(0), count });
				whole += letter.repeat(count);
			} else {
				let text = '';
				for (let cell = 0; cell < 1 + Math.floor(next() * 12); cell++)
					text += letters[Math.floor(next() * letters.length)];
				segments.push({ text });
				whole += text;
			}
		}
		const area = { address: '', cells: new Cells(segments) };
		assert.deepEqual(runsOf(areaRuns(area)), referenceRuns(whole), JSON.stringify(segments));
	}
});
