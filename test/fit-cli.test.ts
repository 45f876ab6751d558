import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { findBlockers } from '../source/heap/blockers.js';
import { fitAllocation } from '../source/heap/fit.js';
import { parseMemInfo } from '../source/heap/parse.js';
import { memInfoDir, readMemInfoFixture } from './helpers/fixtures.js';
import { heaptop } from './helpers/heaptop.js';

const fragmented = 'webassembly-v1.27-fragmented-192k.txt';

function snapshotOf(name: string) {
	const parsed = parseMemInfo(readMemInfoFixture(name));
	assert.ok(parsed.ok);
	return parsed.snapshot;
}

test('inspect --fit answers in words and by exit status: 1 when it does not fit, 0 when it does', () => {
	const file = join(memInfoDir, fragmented);
	const no = heaptop(['inspect', file, '--fit', '10k']);
	assert.equal(no.code, 1, no.stderr);
	assert.match(no.stdout, /^fit {7}10,240 B \(640 blocks of 16 B\) does not fit: 98,128 B are free, but the\n/);
	const cheapest = fitAllocation(snapshotOf(fragmented), 10_240);
	assert.ok(cheapest.ok && cheapest.answer.cheapest);
	const at = `0x${cheapest.answer.cheapest.offsetBytes.toString(16)}`;
	assert.match(
		no.stdout.replaceAll(/\n {10}/g, ' '),
		new RegExp(`It would fit at ${at} but for 5 objects \\(3,104 B\\)`),
	);
	assert.match(no.stdout, /^blockers {2}h \(other\) 1,024 B at 0x[0-9a-f]+: freeing it makes a free run of 6,272 B$/m);
	for (const line of no.stdout.trimEnd().split('\n')) assert.ok(line.length <= 80, line);

	const yes = heaptop(['inspect', file, '--fit', '4096']);
	assert.equal(yes.code, 0, yes.stderr);
	assert.match(yes.stdout, /^fit {7}4,096 B \(256 blocks of 16 B\) fits: gc_alloc would put it at 0x2d9c0,/);
	assert.doesNotMatch(yes.stdout, /blockers/);
});

test('inspect --fit on a dump that cannot tell is exit 2 with the reason; a bad size is one line', () => {
	const summary = heaptop(['inspect', '-', '--fit', '1k'], {
		input: readMemInfoFixture('doc-pyboard-v1.6-issue1877-summary-only.txt'),
	});
	assert.equal(summary.code, 2);
	assert.match(summary.stdout, /^fit {7}1,024 B: this dump has no block map [\s\S]* unknown\.\n$/);
	const bad = heaptop(['inspect', join(memInfoDir, fragmented), '--fit', 'lots']);
	assert.equal(bad.code, 2);
	assert.equal(bad.stderr, 'heaptop: --fit "lots" is not a size; write it like 10240, 10k or 1m\n');
	assert.equal(bad.stdout, '');
});

test('inspect --json --fit adds fit; every snapshot has metrics.blockers and per-area free figures', () => {
	const file = join(memInfoDir, fragmented);
	const run = heaptop(['inspect', '--json', file, '--fit', '10k']);
	assert.equal(run.code, 1, run.stderr);
	const json = JSON.parse(run.stdout);
	const snapshot = snapshotOf(fragmented);
	const result = fitAllocation(snapshot, 10_240);
	assert.ok(result.ok && result.answer.cheapest);
	assert.equal(json.fit.bytes, 10_240);
	assert.equal(json.fit.blocks, 640);
	assert.equal(json.fit.fits, false);
	assert.equal(json.fit.at, null);
	assert.equal(json.fit.newArea, false);
	assert.equal(json.fit.unknown, null);
	assert.equal(json.fit.cheapest.area, 0);
	assert.equal(json.fit.cheapest.offsetBytes, result.answer.cheapest.offsetBytes);
	assert.equal(json.fit.cheapest.allocatedBytes, 3104);
	assert.deepEqual(
		json.fit.cheapest.objects,
		result.answer.cheapest.objects.map(({ offsetBytes, kind, bytes }) => ({ offsetBytes, kind, bytes })),
	);
	const blockers = findBlockers(snapshot);
	assert.equal(json.metrics.blockers.length, 8);
	assert.deepEqual(
		json.metrics.blockers,
		blockers.map((blocker) => ({
			area: blocker.area,
			offsetBytes: blocker.block * 16,
			kind: blocker.kind,
			bytes: blocker.blocks * 16,
			largestFreeIfFreedBytes: blocker.largestFreeIfFreedBlocks * 16,
		})),
	);
	assert.deepEqual(
		json.areas.map((area: { freeBytes: number; largestFreeBytes: number }) => [area.freeBytes, area.largestFreeBytes]),
		[[98_128, 5_248]],
	);

	const plain = heaptop(['inspect', '--json', file]);
	assert.equal(plain.code, 0);
	assert.equal(JSON.parse(plain.stdout).fit, null);
});

test('on a split heap, the figures are per area and the answer names the area', () => {
	const name = 'webassembly-pyscript-v1.27-three-areas.txt';
	const run = heaptop(['inspect', '--json', join(memInfoDir, name), '--fit', '100']);
	assert.equal(run.code, 0, run.stderr);
	const json = JSON.parse(run.stdout);
	assert.equal(json.areas.length, 3);
	const snapshot = snapshotOf(name);
	const result = fitAllocation(snapshot, 100);
	assert.ok(result.ok && result.answer.at);
	assert.deepEqual(json.fit.at, { area: result.answer.at.area, offsetBytes: result.answer.at.offsetBytes });
	for (const [index, area] of json.areas.entries()) {
		assert.equal(area.freeBytes, (result.answer.areas[index]?.freeBlocks ?? 0) * 16);
		assert.equal(area.largestFreeBytes, (result.answer.areas[index]?.largestFreeBlocks ?? 0) * 16);
	}
	const text = heaptop(['inspect', join(memInfoDir, name), '--fit', '100']);
	assert.match(
		text.stdout,
		new RegExp(`at area ${result.answer.at.area} 0x${result.answer.at.offsetBytes.toString(16)}`),
	);
});

test("--once --fit on the demo answers for the scenario's last step", () => {
	const run = heaptop(['--demo', 'fragmentation', '--once', '--fit', '10k'], { timeoutMs: 60_000 });
	assert.equal(run.code, 1, run.stderr);
	assert.match(run.stdout, /^scenario fragmentation, step 4 of 4/);
	assert.match(run.stdout, /fit {7}10,240 B \(640 blocks of 16 B\) does not fit/);
	const small = heaptop(['--demo', 'fragmentation', '--once', '--json', '--fit', '1k'], { timeoutMs: 60_000 });
	assert.equal(small.code, 0, small.stderr);
	assert.equal(JSON.parse(small.stdout).fit.fits, true);
});
