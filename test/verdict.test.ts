import assert from 'node:assert/strict';
import { test } from 'node:test';
import { leakVerdict, type VerdictReading } from '../source/heap/verdict.js';
import { verdictText } from '../source/present/why.js';

const collects = (...used: number[]): VerdictReading[] => used.map((usedBytes) => ({ usedBytes, afterCollect: true }));

test('used after collect climbing at every collect is a leak, with its growth per collect', () => {
	const readings = collects(...Array.from({ length: 11 }, (_, index) => 5000 + index * 66));
	const verdict = leakVerdict(readings);
	assert.deepEqual(verdict, { kind: 'leak', collects: 9, perCollectBytes: 66, grownBytes: 594 });
	assert.equal(verdictText(verdict), 'used after collect grew 9 collects in a row, +66 B each: a leak');
});

test('readings taken without a collect do not count towards the climb', () => {
	const readings: VerdictReading[] = [];
	for (let index = 0; index < 5; index++) {
		readings.push({ usedBytes: 90_000 - index * 1000, afterCollect: false });
		readings.push({ usedBytes: 4000 + index * 32, afterCollect: true });
	}
	const verdict = leakVerdict(readings);
	assert.equal(verdict.kind, 'leak');
	assert.equal(verdict.kind === 'leak' && verdict.collects, 4);
});

test('flat within 16 B is garbage, and the latest reading before a collect says how much a collect would free', () => {
	const readings = [...collects(6000, 6016, 6000, 6008, 6016), { usedBytes: 37_232, afterCollect: false }];
	const verdict = leakVerdict(readings);
	assert.deepEqual(verdict, {
		kind: 'garbage',
		collects: 5,
		spreadBytes: 16,
		garbageBytes: 31_216,
		garbageWhen: 'now',
	});
	assert.equal(
		verdictText(verdict),
		'used after collect is flat (within 16 B) over 5 collects: the rest is garbage, and a gc.collect() before the big allocation would free 31,216 B',
	);
	const justCollected = [...collects(6000, 6000), { usedBytes: 20_000, afterCollect: false }, ...collects(6000)];
	assert.deepEqual(leakVerdict(justCollected), {
		kind: 'garbage',
		collects: 3,
		spreadBytes: 0,
		garbageBytes: 14_000,
		garbageWhen: 'last-collect',
	});
});

test('too few collects is said as such, not as flat', () => {
	const verdict = leakVerdict([{ usedBytes: 9000, afterCollect: false }, ...collects(5000, 5000)]);
	assert.deepEqual(verdict, { kind: 'too-few', collects: 2, needed: 3 });
	assert.match(verdictText(verdict), /2 readings after a collect so far; 3 are needed/);
});

test('a climb that some collects interrupt is "probably a leak"; ups and downs are neither', () => {
	const growing = leakVerdict(collects(1000, 1400, 1300, 1800, 1700, 2300));
	assert.equal(growing.kind, 'growing');
	assert.match(verdictText(growing), /rose by 1,300 B over 5 collects .*probably a leak/);
	const unsteady = leakVerdict(collects(1000, 3000, 1200, 2800, 1100));
	assert.deepEqual(unsteady, { kind: 'unsteady', collects: 5, lowestBytes: 1000, highestBytes: 3000 });
	// A climb of less than one block in total is no climb.
	assert.equal(leakVerdict(collects(5000, 5004, 5008, 5012)).kind, 'garbage');
});

test('only the last ten collects are judged: an old climb does not make a flat heap a leak', () => {
	const readings = collects(...Array.from({ length: 20 }, (_, index) => 1000 + index * 100), ...Array(10).fill(3000));
	assert.equal(leakVerdict(readings).kind, 'garbage');
});
