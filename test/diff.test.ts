import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BlockChange, diffSnapshots } from '../source/heap/diff.js';
import { parseAllMemInfo } from '../source/heap/parse.js';
import { readMemInfoFixture } from './helpers/fixtures.js';

test('the diff across a collect accounts for exactly the change in used blocks', () => {
	const [before, after] = parseAllMemInfo(readMemInfoFixture('qemu-mps2an385-v1.29pre-two-dumps-before-after-gc.txt'));
	assert.ok(before && after);
	const diff = diffSnapshots(before, after);
	const bytesPerBlock = after.bytesPerBlock ?? 0;
	const usedChangeBlocks = (after.gc.usedBytes - before.gc.usedBytes) / bytesPerBlock;
	assert.equal(diff.allocatedBlocks - diff.freedBlocks, usedChangeBlocks);
	assert.ok(diff.freedBlocks > 0);
	const marks = diff.areas[0]?.marks ?? new Uint8Array();
	assert.equal(marks.filter((mark) => mark === BlockChange.freed).length, diff.freedBlocks);
	assert.deepEqual(diff.newAreas, []);
});

test('a snapshot compared with itself has no changes', () => {
	const [snapshot] = parseAllMemInfo(readMemInfoFixture('unix-x64-v1.29pre-splitheap2-mem_info1.txt'));
	assert.ok(snapshot);
	const diff = diffSnapshots(snapshot, snapshot);
	assert.equal(diff.freedBlocks + diff.allocatedBlocks + diff.changedBlocks, 0);
	assert.equal(diff.areas.length, 2);
});

test('areas the earlier snapshot did not have are listed as new', () => {
	const [small] = parseAllMemInfo(readMemInfoFixture('qemu-mps2an385-v1.29pre-fresh.txt'));
	const [grown] = parseAllMemInfo(readMemInfoFixture('webassembly-pyscript-v1.27-three-areas.txt'));
	assert.ok(small && grown);
	assert.equal(diffSnapshots(small, grown).newAreas.length, 3);
});
