import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Cells } from '../source/heap/cells.js';
import { scanCells } from '../source/heap/scan-cells.js';

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
