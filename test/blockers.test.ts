import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findBlockers, largestFreeRunBlocks } from '../source/heap/blockers.js';
import type { HeapSnapshot } from '../source/heap/model.js';
import { parseMemInfo } from '../source/heap/parse.js';
import { readMemInfoFixture } from './helpers/fixtures.js';
import {
	cellText,
	fixtureSnapshotsWithMaps,
	longestFreeRun,
	objectsByCells,
	randomSnapshot,
	seededRandom,
	snapshotOfCells,
} from './helpers/random-maps.js';

/**
 * The reference: free each object in turn (its cells become `.`), recompute the longest free run of the heap
 * and the free run its head now lies in, and rank them: longest run made first, ties by address.
 */
function blockersByFreeing(snapshot: HeapSnapshot, limit: number) {
	const ranked = objectsByCells(snapshot).map((object) => {
		const areas = snapshot.areas.map((area, index) => {
			const cells = cellText(area);
			return index === object.area
				? cells.slice(0, object.block) + '.'.repeat(object.blocks) + cells.slice(object.block + object.blocks)
				: cells;
		});
		const cells = areas[object.area] ?? '';
		let from = object.block;
		while (from > 0 && cells[from - 1] === '.') from--;
		let to = object.block;
		while (to < cells.length && cells[to] === '.') to++;
		return {
			...object,
			mergedFreeBlocks: to - from,
			largestFreeIfFreedBlocks: Math.max(...areas.map(longestFreeRun)),
		};
	});
	ranked.sort((a, b) => b.mergedFreeBlocks - a.mergedFreeBlocks || a.area - b.area || a.block - b.block);
	return ranked.slice(0, limit);
}

function checkAgainstFreeing(snapshot: HeapSnapshot, limit: number, label: string): void {
	assert.equal(
		largestFreeRunBlocks(snapshot),
		Math.max(0, ...snapshot.areas.map((area) => longestFreeRun(cellText(area)))),
	);
	assert.deepEqual(findBlockers(snapshot, limit), blockersByFreeing(snapshot, limit), label);
}

test('on every fixture with a map, the blockers are those that freeing each object and recomputing finds', () => {
	const fixtures = fixtureSnapshotsWithMaps();
	assert.ok(fixtures.length >= 12);
	for (const { name, snapshot } of fixtures) {
		for (const limit of [1, 8, 50]) checkAgainstFreeing(snapshot, limit, `${name}, top ${limit}`);
	}
});

test('on 3,000 random small maps, the blockers agree with freeing each object and recomputing', () => {
	const random = seededRandom(1402);
	for (let map = 0; map < 3000; map++) {
		const snapshot = randomSnapshot(random, 150);
		const limit = 1 + Math.floor(random() * 10);
		checkAgainstFreeing(snapshot, limit, `map ${map}: ${snapshot.areas.map(cellText).join(' | ')}`);
	}
});

test('runs never join across areas: an object at the end of one area does not reach the next', () => {
	const snapshot = snapshotOfCells(['....S', '.....h']);
	const [first, second] = findBlockers(snapshot, 2);
	assert.deepEqual(first, {
		area: 1,
		block: 5,
		kind: 'h',
		blocks: 1,
		mergedFreeBlocks: 6,
		largestFreeIfFreedBlocks: 6,
	});
	assert.equal(second?.mergedFreeBlocks, 5);
	assert.equal(second?.area, 0);
});

test('on the fragmented demo heap, freeing the top blocker makes a longer free run than there is now', () => {
	const parsed = parseMemInfo(readMemInfoFixture('webassembly-v1.27-fragmented-192k.txt'));
	assert.ok(parsed.ok);
	const [top] = findBlockers(parsed.snapshot);
	assert.ok(top);
	assert.ok(top.largestFreeIfFreedBlocks > (parsed.snapshot.map?.maxFreeBlocks ?? 0));
	assert.deepEqual(findBlockers(parsed.snapshot, 0), []);
	assert.equal(findBlockers(parsed.snapshot).length, 8);
});
