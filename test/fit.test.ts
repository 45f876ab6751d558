import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blocksFor, fitAllocation, newAreaNeedsBytes } from '../source/heap/fit.js';
import type { HeapArea, HeapSnapshot } from '../source/heap/model.js';
import { parseMemInfo } from '../source/heap/parse.js';
import { readMemInfoFixture } from './helpers/fixtures.js';
import {
	cellText,
	fixtureSnapshotsWithMaps,
	randomSnapshot,
	seededRandom,
	snapshotOfCells,
} from './helpers/random-maps.js';

/** First fit by brute force: the lowest block, areas in order, where `blocks` free cells follow one another. */
function firstFitByCells(snapshot: HeapSnapshot, blocks: number): { area: number; block: number } | undefined {
	for (const [area, heapArea] of snapshot.areas.entries()) {
		const cells = cellText(heapArea);
		let run = 0;
		for (let block = 0; block < cells.length; block++) {
			run = cells[block] === '.' ? run + 1 : 0;
			if (run === blocks) return { area, block: block - blocks + 1 };
		}
	}
	return undefined;
}

/**
 * The cheapest window by sliding it over every position of every area: the blocks of every object that
 * overlaps it, counted whole (its head in the window, or the object the window starts inside).
 */
function cheapestByCells(
	snapshot: HeapSnapshot,
	blocks: number,
): { area: number; block: number; allocatedBlocks: number; objects: number } | undefined {
	let best: { area: number; block: number; allocatedBlocks: number; objects: number } | undefined;
	for (const [area, heapArea] of snapshot.areas.entries()) {
		const cells = cellText(heapArea);
		const length = cells.length;
		// owner[i]: the first block of the object block i belongs to, or -1 when free.
		const owner = new Int32Array(length);
		const objectLength = new Int32Array(length);
		for (let block = 0; block < length; block++) {
			const cell = cells[block];
			if (cell === '.') owner[block] = -1;
			else if (cell === '=' && block > 0 && cells[block - 1] !== '.') owner[block] = owner[block - 1] ?? -1;
			else owner[block] = block;
			const head = owner[block] ?? -1;
			if (head >= 0) objectLength[head] = (objectLength[head] ?? 0) + 1;
		}
		for (let start = 0; start + blocks <= length; start++) {
			let allocated = 0;
			let objects = 0;
			let previous = -2;
			for (let block = start; block < start + blocks; block++) {
				const head = owner[block] ?? -1;
				if (head >= 0 && head !== previous) {
					allocated += objectLength[head] ?? 0;
					objects++;
				}
				previous = head;
			}
			if (best === undefined || allocated < best.allocatedBlocks)
				best = { area, block: start, allocatedBlocks: allocated, objects };
		}
	}
	return best;
}

/** Checks the answer for `blocks` blocks against both brute-force references. */
function checkAgainstCells(
	snapshot: HeapSnapshot,
	blocks: number,
	label: string,
): 'fits' | 'cheapest' | 'too-big' | 'cut-off' {
	const bytesPerBlock = snapshot.bytesPerBlock ?? 0;
	const result = fitAllocation(snapshot, blocks * bytesPerBlock);
	const expected = firstFitByCells(snapshot, blocks);
	if (!result.ok) {
		// Only a map that does not cover the heap may leave the answer unknown, and only when its part has no room.
		assert.equal(result.problem, 'map-cut-off', label);
		assert.equal(snapshot.map?.complete, false, label);
		assert.equal(expected, undefined, label);
		return 'cut-off';
	}
	const { answer } = result;
	assert.equal(answer.blocks, blocks, label);
	if (expected) {
		assert.equal(answer.fits, true, label);
		assert.deepEqual(answer.at, { ...expected, offsetBytes: expected.block * bytesPerBlock }, label);
		assert.equal(answer.cheapest, undefined, label);
		return 'fits';
	}
	assert.equal(answer.at, undefined, label);
	const cheapest = cheapestByCells(snapshot, blocks);
	if (!cheapest) {
		assert.equal(answer.cheapest, undefined, label);
		return 'too-big';
	}
	assert.ok(answer.cheapest, label);
	assert.equal(answer.cheapest.area, cheapest.area, label);
	assert.equal(answer.cheapest.block, cheapest.block, label);
	assert.equal(answer.cheapest.offsetBytes, cheapest.block * bytesPerBlock, label);
	assert.equal(answer.cheapest.allocatedBytes, cheapest.allocatedBlocks * bytesPerBlock, label);
	assert.equal(answer.cheapest.objectCount, cheapest.objects, label);
	const listed = answer.cheapest.objects.reduce((sum, object) => sum + object.bytes, 0);
	if (cheapest.objects <= answer.cheapest.objects.length) assert.equal(listed, answer.cheapest.allocatedBytes, label);
	for (const object of answer.cheapest.objects) {
		const heapArea = snapshot.areas[object.area];
		const cells = heapArea ? cellText(heapArea) : '';
		assert.equal(cells[object.block], object.kind, label);
		assert.notEqual(cells[object.block + object.blocks], '=', label);
	}
	return 'cheapest';
}

test('on every fixture with a map, first fit and the cheapest window agree with the brute-force references', () => {
	const fixtures = fixtureSnapshotsWithMaps();
	assert.ok(fixtures.length >= 12);
	for (const { name, snapshot } of fixtures) {
		if (snapshot.bytesPerBlock === undefined) continue;
		const largest = Math.max(...snapshot.areas.map((area) => longest(cellText(area))));
		const biggestArea = Math.max(...snapshot.areas.map((area) => area.cells.length));
		const sizes = new Set([
			1,
			2,
			largest,
			largest + 1,
			largest * 2 + 3,
			Math.ceil(biggestArea / 2),
			biggestArea,
			biggestArea + 1,
		]);
		for (const blocks of sizes) if (blocks >= 1) checkAgainstCells(snapshot, blocks, `${name}, ${blocks} blocks`);
	}
});

function longest(cells: string): number {
	return Math.max(0, ...cells.split(/[^.]+/).map((run) => run.length));
}

test('on 3,000 random small maps of one to three areas, every size agrees with the brute-force references', () => {
	const random = seededRandom(14);
	const seen = { fits: 0, cheapest: 0, 'too-big': 0, 'cut-off': 0 };
	for (let map = 0; map < 3000; map++) {
		const snapshot = randomSnapshot(random, 120);
		const biggest = Math.max(...snapshot.areas.map((area) => area.cells.length));
		const blocks = 1 + Math.floor(random() * (biggest + 2));
		const label = `map ${map}, ${blocks} blocks: ${snapshot.areas.map(cellText).join(' | ')}`;
		seen[checkAgainstCells(snapshot, blocks, label)]++;
	}
	// Each way of answering is met many times, so none of them passes by never being reached.
	assert.equal(seen['cut-off'], 0);
	for (const count of [seen.fits, seen.cheapest, seen['too-big']]) assert.ok(count > 100, JSON.stringify(seen));
});

test('the fragmented demo heap: 10 KB does not fit with 98 KB free, and the cheapest place names its objects', () => {
	const parsed = parseMemInfo(readMemInfoFixture('webassembly-v1.27-fragmented-192k.txt'));
	assert.ok(parsed.ok);
	const result = fitAllocation(parsed.snapshot, 10 * 1024);
	assert.ok(result.ok);
	const { answer } = result;
	assert.equal(answer.blocks, 640);
	assert.equal(answer.fits, false);
	assert.ok(answer.largestFreeBlocks < 640);
	assert.ok(answer.cheapest && answer.cheapest.objectCount > 0);
	assert.ok(answer.cheapest.allocatedBytes > 0);
});

test('sizes round up to whole blocks, as gc_alloc counts them', () => {
	assert.equal(blocksFor(1, 16), 1);
	assert.equal(blocksFor(16, 16), 1);
	assert.equal(blocksFor(17, 16), 2);
	assert.equal(blocksFor(10240, 16), 640);
	assert.equal(blocksFor(10240, 32), 320);
	const snapshot = snapshotOfCells(['h.h=.....'], 16);
	const answer = fitAllocation(snapshot, 33);
	assert.ok(answer.ok);
	assert.equal(answer.answer.blocks, 3);
});

test('a map that cannot tell says so instead of answering no', () => {
	const summaryOnly = parseMemInfo(readMemInfoFixture('doc-esp32-v1.24.1-notes-summary-only.txt'));
	assert.ok(summaryOnly.ok);
	assert.deepEqual(fitAllocation(summaryOnly.snapshot, 1024), { ok: false, problem: 'no-map' });
	const snapshot = snapshotOfCells(['....']);
	delete snapshot.bytesPerBlock;
	assert.deepEqual(fitAllocation(snapshot, 16), { ok: false, problem: 'no-block-size' });
	const truncated = parseMemInfo(readMemInfoFixture('doc-nrf52-monocle-truncated.txt'));
	assert.ok(truncated.ok);
	assert.equal(truncated.snapshot.map?.complete, false);
	assert.deepEqual(fitAllocation(truncated.snapshot, 1024 * 1024), { ok: false, problem: 'map-cut-off' });
	assert.deepEqual(fitAllocation(snapshotOfCells(['....']), 0), { ok: false, problem: 'not-a-size' });
	assert.deepEqual(fitAllocation(snapshotOfCells(['....']), 1.5), { ok: false, problem: 'not-a-size' });
});

test('on a split-heap-auto port, a size no area holds fits when max new split covers it and gc_try_add_heap overhead', () => {
	const snapshot = snapshotOfCells(['h=..h...']);
	const bytes = 1000;
	snapshot.gc.maxNewSplitBytes = newAreaNeedsBytes(bytes);
	const grows = fitAllocation(snapshot, bytes);
	assert.ok(grows.ok);
	assert.equal(grows.answer.fits, true);
	assert.equal(grows.answer.newArea, true);
	assert.equal(grows.answer.at, undefined);
	snapshot.gc.maxNewSplitBytes = newAreaNeedsBytes(bytes) - 1;
	const stays = fitAllocation(snapshot, bytes);
	assert.ok(stays.ok);
	assert.equal(stays.answer.fits, false);
	assert.equal(stays.answer.newArea, undefined);
	assert.equal(newAreaNeedsBytes(100_000), 100_000 + Math.floor((100_000 * 13) / 512));
});

test('per-area figures: each area its own free total and largest free run', () => {
	const parsed = parseMemInfo(readMemInfoFixture('webassembly-pyscript-v1.27-three-areas.txt'));
	assert.ok(parsed.ok);
	const result = fitAllocation(parsed.snapshot, 16);
	assert.ok(result.ok);
	const { areas } = result.answer;
	assert.equal(areas.length, 3);
	for (const [index, area] of areas.entries()) {
		const heapArea: HeapArea | undefined = parsed.snapshot.areas[index];
		const cells: string = heapArea ? cellText(heapArea) : '';
		assert.equal(area.blocks, cells.length);
		assert.equal(area.freeBlocks, cells.split('').filter((cell: string) => cell === '.').length);
		assert.equal(area.largestFreeBlocks, longest(cells));
	}
	assert.equal(Math.max(...areas.map((area) => area.largestFreeBlocks)), parsed.snapshot.map?.maxFreeBlocks);
});
