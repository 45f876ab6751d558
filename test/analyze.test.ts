import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeSnapshot } from '../source/heap/analyze.js';
import { parseMemInfo } from '../source/heap/parse.js';
import { memInfoFixtures, readMemInfoFixture } from './helpers/fixtures.js';

function snapshotOf(name: string) {
	const result = parseMemInfo(readMemInfoFixture(name));
	assert.ok(result.ok);
	return result.snapshot;
}

test('largest allocatable and fragmentation come from max free sz and the derived block size', () => {
	const snapshot = snapshotOf('rp2040-pico-tutorial-pre1.20-mem_info1.txt');
	const metrics = analyzeSnapshot(snapshot);
	const maxFree = snapshot.counts?.maxFreeBlocks ?? 0;
	assert.equal(metrics.largestFreeBlocks, maxFree);
	assert.equal(metrics.largestAllocatableBytes, maxFree * 16);
	assert.equal(metrics.fragmentation, 1 - (maxFree * 16) / snapshot.gc.freeBytes);
	assert.equal(metrics.maxBlockBytes, (snapshot.counts?.maxBlockBlocks ?? 0) * 16);
	assert.equal(metrics.stackHeadroomBytes, 7936 - 532);
	assert.equal(metrics.usedFraction, snapshot.gc.usedBytes / snapshot.gc.totalBytes);
});

test('on every capture with a map, kinds add up to the used and free blocks, and the histogram to the runs', () => {
	let complete = 0;
	for (const { name, text } of memInfoFixtures()) {
		const result = parseMemInfo(text);
		if (!result.ok || !result.snapshot.map) continue;
		const { map } = result.snapshot;
		const metrics = analyzeSnapshot(result.snapshot);
		if (!map.complete) {
			assert.deepEqual(metrics.kinds, {}, `${name}: a cut-off map tells no kinds`);
			assert.ok(metrics.mapCutOff, name);
			continue;
		}
		complete++;
		const heads = Object.entries(metrics.kinds).filter(([letter]) => letter !== '.' && letter !== '=');
		const objectBlocks = heads.reduce((sum, [, kind]) => sum + kind.blocks, 0);
		assert.equal(objectBlocks + map.orphanTailBlocks, map.usedBlocks, name);
		assert.equal(metrics.kinds['.']?.blocks ?? 0, map.freeBlocks, name);
		const objects = heads.reduce((sum, [, kind]) => sum + kind.objects, 0);
		assert.equal((metrics.kinds['=']?.blocks ?? 0) + objects, map.usedBlocks, name);
		const runs = metrics.freeRunHistogram.reduce((sum, bucket) => sum + bucket.runs, 0);
		assert.equal(runs, map.freeRuns, name);
		for (const bucket of metrics.freeRunHistogram) assert.equal(bucket.maxBlocks, bucket.minBlocks * 2 - 1);
	}
	assert.ok(complete >= 10, `${complete} whole maps among the captures`);
});

test('kinds carry bytes when the block size is known', () => {
	const metrics = analyzeSnapshot(snapshotOf('qemu-mps2an385-v1.29pre-mem_info1.txt'));
	const array = metrics.kinds.A;
	assert.ok(array && array.objects >= 1);
	assert.equal(array.bytes, array.blocks * 16);
});

test('a summary-only dump has no kinds and no block size, so no byte figures are made up', () => {
	const metrics = analyzeSnapshot(snapshotOf('doc-pyboard-v1.6-issue1877-summary-only.txt'));
	assert.deepEqual(metrics.kinds, {});
	assert.equal(metrics.bytesPerBlock, undefined);
	assert.equal(metrics.largestAllocatableBytes, undefined);
	assert.equal(metrics.largestFreeBlocks, undefined, 'v1.6 printed no max free sz');
});
