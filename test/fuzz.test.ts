import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeSnapshot } from '../source/heap/analyze.js';
import type { HeapSnapshot } from '../source/heap/model.js';
import { parseAllMemInfo } from '../source/heap/parse.js';
import { createDumpReader } from '../source/heap/read-dumps.js';
import { type SnapshotJson, snapshotToJson } from '../source/output/json.js';
import { formatSnapshots } from '../source/output/print.js';
import { hasUnsafeText, sanitizeForTerminal } from '../source/protocol/sanitize.js';
import { memInfoFixtures } from './helpers/fixtures.js';
import { mutate } from './helpers/mutate-dump.js';

/**
 * Cases per capture: with 22 captures, a few thousand in all, a few seconds. `npm run test:unit`, run after every
 * change, takes fewer (HEAPTOP_FUZZ_SEEDS, set by test/unit.ts); `npm test` all of them.
 */
const SEEDS = Number(process.env.HEAPTOP_FUZZ_SEEDS ?? 140);
const fuzzDir = new URL('./fixtures/fuzz/', import.meta.url).pathname;

/** Figures no heap can have, as JSON reports them; each must come with a warning. */
function impossibleFigures(snapshot: HeapSnapshot, json: SnapshotJson): string[] {
	const found: string[] = [];
	const { gc, stack } = snapshot;
	if (gc.usedBytes > gc.totalBytes || gc.freeBytes > gc.totalBytes) found.push('used or free over total');
	if (gc.usedBytes + gc.freeBytes !== gc.totalBytes) found.push('used + free is not total');
	const largest = json.metrics.largestAllocatableBytes;
	if (largest !== null && largest > gc.freeBytes) found.push('largest free over free');
	const maxBlock = json.metrics.maxBlockBytes;
	if (maxBlock !== null && maxBlock > gc.usedBytes) found.push('largest object over used');
	if (stack?.limitBytes !== undefined && stack.usedBytes > stack.limitBytes) found.push('stack over its limit');
	if (snapshot.mem && snapshot.mem.currentBytes > snapshot.mem.peakBytes) found.push('mem current over peak');
	return found;
}

/** Every number of the JSON is finite, and every count a safe integer; fractions within 0..1. */
function checkNumbers(value: unknown, path: string): void {
	if (typeof value === 'number') {
		assert.ok(Number.isFinite(value), `${path} is ${value}`);
		if (/usedFraction|fragmentation/.test(path)) assert.ok(value >= 0, `${path} is ${value}`);
		else assert.ok(Number.isSafeInteger(value), `${path} is ${value}`);
		return;
	}
	if (Array.isArray(value)) {
		for (const [index, item] of value.entries()) checkNumbers(item, `${path}[${index}]`);
	} else if (value !== null && typeof value === 'object') {
		for (const [key, item] of Object.entries(value)) checkNumbers(item, `${path}.${key}`);
	}
}

/** The checks every snapshot from hostile input passes; `label` names the case. */
function checkSnapshot(snapshot: HeapSnapshot, label: string): void {
	analyzeSnapshot(snapshot);
	const json = snapshotToJson(snapshot);
	checkNumbers(json, `${label}: json`);
	const impossible = impossibleFigures(snapshot, json);
	if (impossible.length > 0) {
		assert.ok(snapshot.warnings.length > 0, `${label}: ${impossible.join(', ')} with no warning`);
	}
	if (snapshot.map && !snapshot.map.complete && json.blocks.maxFreeBlocks === null) {
		assert.equal(json.metrics.largestFreeBlocks, null, `${label}: largest free from a cut-off map`);
		assert.equal(json.metrics.fragmentation, null, `${label}: fragmentation from a cut-off map`);
	}
	if (snapshot.map && !snapshot.map.complete) assert.deepEqual(json.metrics.kinds, {}, `${label}: kinds`);
	const plain = formatSnapshots([snapshot], { json: false, all: false, color: false });
	assert.equal(hasUnsafeText(plain), false, `${label}: a control character in the text`);
	// A figure that is no number is said to be unknown: never `Infinity %`, `NaN` or `In,fin,ity`.
	assert.doesNotMatch(plain, /Infinity|NaN|In,fin/, `${label}: a figure that is no number`);
	if (impossible.length > 0) assert.ok(!plain.includes('warnings  none'), `${label}: "none" beside ${impossible}`);
	const coloured = formatSnapshots([snapshot], { json: false, all: false, color: true });
	assert.equal(sanitizeForTerminal(coloured), coloured, `${label}: a sequence other than colour`);
	const jsonText = formatSnapshots([snapshot], { json: true, all: false, color: false });
	assert.equal(hasUnsafeText(jsonText), false, `${label}: a control character in the JSON`);
	JSON.parse(jsonText);
}

/** The cases the fuzzer kept (see fixtures/README.md), then a few thousand fresh ones from every capture. */
function cases(): { label: string; text: string }[] {
	const kept = readdirSync(fuzzDir)
		.filter((name) => name.endsWith('.txt'))
		.map((name) => ({ label: `fuzz/${name}`, text: readFileSync(join(fuzzDir, name), 'utf8') }));
	const fresh = memInfoFixtures().flatMap(({ name, text }) =>
		Array.from({ length: SEEDS }, (_, seed) => {
			const mutated = mutate(text, seed + 1);
			return { label: `${name} seed ${seed + 1} (${mutated.applied.join(', ')})`, text: mutated.text };
		}),
	);
	return [...kept, ...fresh];
}

test('fuzz: mutated real dumps never throw, every figure is possible or warned, no control character gets out', () => {
	let snapshots = 0;
	const all = cases();
	for (const { label, text } of all) {
		for (const snapshot of parseAllMemInfo(text)) {
			checkSnapshot(snapshot, label);
			snapshots++;
		}
		// The same text through inspect's reader, fed in two pieces.
		const reader = createDumpReader();
		const half = Math.floor(text.length / 2);
		for (const snapshot of [...reader.push(text.slice(0, half)), ...reader.push(text.slice(half)), ...reader.end()]) {
			checkSnapshot(snapshot, `${label} via the reader`);
		}
		if (snapshots === 0) assert.equal(typeof reader.noDumpReason(), 'string');
	}
	assert.ok(all.length >= memInfoFixtures().length * SEEDS && SEEDS > 0, `${all.length} cases`);
	assert.ok(snapshots > all.length / 2, `${snapshots} snapshots`);
});
