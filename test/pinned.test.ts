import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findBlockers } from '../source/heap/blockers.js';
import type { HeapSnapshot } from '../source/heap/model.js';
import { parseAllMemInfo } from '../source/heap/parse.js';
import { pinAfter, pinnedAcross, pinnedBlockers, pinnedCount } from '../source/heap/pinned.js';
import { readMemInfoFixture } from './helpers/fixtures.js';
import {
	cellText,
	fixtureSnapshotsWithMaps,
	objectsByCells,
	randomCells,
	seededRandom,
	snapshotOfCells,
} from './helpers/random-maps.js';

/** The reference: the objects (area address, head, length, letter) that every snapshot has. */
function pinnedByCells(snapshots: readonly HeapSnapshot[]): Set<string> {
	const keysOf = (snapshot: HeapSnapshot) =>
		new Set(
			objectsByCells(snapshot).map(
				(object) => `${snapshot.areas[object.area]?.address}:${object.block}:${object.blocks}:${object.kind}`,
			),
		);
	const [first, ...rest] = snapshots.map(keysOf);
	const kept = new Set(first);
	for (const keys of rest) for (const key of kept) if (!keys.has(key)) kept.delete(key);
	return kept;
}

function keysOfPinned(snapshots: readonly HeapSnapshot[]): Set<string> {
	const pinned = pinnedAcross(snapshots);
	assert.ok(pinned);
	assert.equal(pinned.readings, snapshots.length);
	const keys = new Set<string>();
	for (const area of pinned.areas) {
		for (let index = 0; index < area.count; index++) {
			keys.add(
				`${area.address}:${area.start[index]}:${area.length[index]}:${String.fromCharCode(area.code[index] ?? 0)}`,
			);
		}
	}
	assert.equal(keys.size, pinnedCount(pinned));
	return keys;
}

/** A later reading of the same heap: some objects freed, some moved into the gaps, some areas changed. */
function evolve(random: () => number, cells: string): string {
	let next = '';
	let index = 0;
	while (index < cells.length) {
		let end = index + 1;
		while (end < cells.length && cells[end] === '=') end++;
		const piece = cells.slice(index, end);
		const roll = random();
		if (roll < 0.2) next += '.'.repeat(piece.length);
		else if (roll < 0.3) next += randomCells(random, piece.length);
		else next += piece;
		index = end;
	}
	return next;
}

test('on 1,000 random series of readings, the pinned objects are those every reading has in place', () => {
	const random = seededRandom(77);
	for (let series = 0; series < 1000; series++) {
		let areas = [
			randomCells(random, 1 + Math.floor(random() * 150)),
			randomCells(random, 1 + Math.floor(random() * 80)),
		];
		const snapshots: HeapSnapshot[] = [];
		const readings = 1 + Math.floor(random() * 5);
		for (let reading = 0; reading < readings; reading++) {
			snapshots.push(snapshotOfCells(areas));
			areas = areas.map((cells) => evolve(random, cells));
			if (random() < 0.1) areas = areas.slice(0, 1);
		}
		assert.deepEqual(keysOfPinned(snapshots), pinnedByCells(snapshots), `series ${series}`);
	}
});

test('across the fixtures: one reading pins every object, and a fixture against itself keeps them all', () => {
	for (const { name, snapshot } of fixtureSnapshotsWithMaps()) {
		assert.deepEqual(keysOfPinned([snapshot]), pinnedByCells([snapshot]), name);
		assert.deepEqual(keysOfPinned([snapshot, snapshot, snapshot]), pinnedByCells([snapshot]), name);
	}
});

test('the qemu capture before and after gc.collect(): what the collect kept in place is pinned', () => {
	const [before, after] = parseAllMemInfo(readMemInfoFixture('qemu-mps2an385-v1.29pre-two-dumps-before-after-gc.txt'));
	assert.ok(before && after);
	const keys = keysOfPinned([before, after]);
	assert.deepEqual(keys, pinnedByCells([before, after]));
	assert.ok(keys.size > 0);
	assert.ok(keys.size < objectsByCells(before).length);
});

test('pinned blockers are the blockers among the pinned objects, ranked the same way', () => {
	const random = seededRandom(9);
	for (let series = 0; series < 500; series++) {
		const first = snapshotOfCells([randomCells(random, 120), randomCells(random, 60)]);
		const second = snapshotOfCells(first.areas.map((area) => evolve(random, cellText(area))));
		const pinned = pinAfter(pinAfter(undefined, first), second);
		const keys = keysOfPinned([first, second]);
		const expected = findBlockers(second, 10_000)
			.filter((blocker) =>
				keys.has(`${second.areas[blocker.area]?.address}:${blocker.block}:${blocker.blocks}:${blocker.kind}`),
			)
			.slice(0, 5);
		assert.deepEqual(pinnedBlockers(pinned, second, 5), expected, `series ${series}`);
	}
});
