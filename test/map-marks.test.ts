import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Cells } from '../source/heap/cells.js';
import type { HeapSnapshot } from '../source/heap/model.js';
import { parseAllMemInfo } from '../source/heap/parse.js';
import { planMap } from '../source/present/map-layout.js';
import { largestFreeHighlight, largestFreeRuns, markedCells } from '../source/present/map-marks.js';
import { paintMapLines } from '../source/present/map-rows.js';
import { createPainter } from '../source/present/paint.js';
import { readMemInfoFixture } from './helpers/fixtures.js';

const [QEMU] = parseAllMemInfo(readMemInfoFixture('qemu-mps2an385-v1.29pre-two-dumps-before-after-gc.txt'));
const [THREE] = parseAllMemInfo(readMemInfoFixture('webassembly-pyscript-v1.27-three-areas.txt'));

/** The longest run of `.` by a plain scan of the letters. */
function longestFree(cells: string): { firstBlock: number; blocks: number } {
	let best = { firstBlock: 0, blocks: 0 };
	const pattern = /\.+/g;
	for (const match of cells.matchAll(pattern))
		if (match[0].length > best.blocks) best = { firstBlock: match.index ?? 0, blocks: match[0].length };
	return best;
}

test('the largest free run of each area is where a plain scan of its letters finds it, biggest first', () => {
	for (const snapshot of [QEMU, THREE]) {
		assert.ok(snapshot);
		const runs = largestFreeRuns(snapshot);
		for (const run of runs) {
			const letters = snapshot.areas[run.areaIndex]?.cells.slice() ?? '';
			const expected = longestFree(letters);
			assert.equal(run.firstBlock, expected.firstBlock);
			assert.equal(run.blocks, expected.blocks);
		}
		for (let index = 1; index < runs.length; index++)
			assert.ok((runs[index - 1]?.blocks ?? 0) >= (runs[index]?.blocks ?? 0));
	}
	// An elided run (a Cells run, not text) is found without spelling it out.
	const elided = { areas: [{ address: '0', cells: new Cells([{ text: 'hh..h' }, { code: 0x2e, count: 1_000_000 }]) }] };
	assert.deepEqual(largestFreeRuns(elided as unknown as HeapSnapshot), [
		{ areaIndex: 0, firstBlock: 5, blocks: 1_000_000 },
	]);
});

test('a mark covers the cells the range fills; a range smaller than a cell marks the cell it starts in', () => {
	assert.deepEqual(markedCells({ areaIndex: 0, firstBlock: 10, blocks: 30 }, 0, 8, 1), undefined);
	assert.deepEqual(markedCells({ areaIndex: 0, firstBlock: 2, blocks: 3 }, 0, 8, 1), [2, 5]);
	// Zoom 4: blocks 6..21 fill cells 2..4 (blocks 8..19); cells 1 and 5 are only partly free.
	assert.deepEqual(markedCells({ areaIndex: 0, firstBlock: 6, blocks: 16 }, 0, 8, 4), [2, 5]);
	assert.deepEqual(markedCells({ areaIndex: 0, firstBlock: 5, blocks: 2 }, 0, 8, 4), [1, 2]);
	// The row starting at block 32 (zoom 4, 8 cells a row) holds cells 8..15 of the area.
	assert.deepEqual(markedCells({ areaIndex: 0, firstBlock: 30, blocks: 20 }, 32, 8, 4), [0, 4]);
});

test('the map shows the largest free run as _ with and without colour, and only there', () => {
	assert.ok(QEMU);
	const highlight = largestFreeHighlight(QEMU);
	assert.ok(highlight);
	const run = highlight.ranges[0];
	assert.ok(run);
	for (const color of [true, false]) {
		const plan = planMap([{ address: '0', blocks: QEMU.areas[0]?.cells.length ?? 0 }], 64, 1);
		const lines = paintMapLines({
			snapshot: QEMU,
			plan,
			firstLine: 0,
			lineCount: plan.totalLines,
			labelDigits: 5,
			painter: createPainter(color),
			highlights: [highlight],
		});
		// biome-ignore lint/suspicious/noControlCharactersInRegex: colour sequences are stripped.
		const letters = lines.map((line) => line.text.replace(/\u001b\[[0-9;]*m/g, '').slice(6)).join('');
		assert.equal(letters.indexOf('_'), run.firstBlock);
		assert.equal(letters.lastIndexOf('_'), run.firstBlock + run.blocks - 1);
		assert.equal(letters.replaceAll('_', '.'), QEMU.areas[0]?.cells.slice());
	}
	assert.match(highlight.label, /^largest free run, [\d,]+ blocks \([\d,]+ B\)$/);
	assert.match(largestFreeHighlight(THREE as HeapSnapshot)?.label ?? '', /of each area/);
});
