import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLastDumpFinder } from '../source/heap/find-last-dump.js';
import type { HeapSnapshot } from '../source/heap/model.js';
import { createDumpReader } from '../source/heap/read-dumps.js';
import { snapshotToJson } from '../source/output/json.js';
import { formatSnapshots } from '../source/output/print.js';
import { memInfoFixtures } from './helpers/fixtures.js';
import { mutate, random } from './helpers/mutate-dump.js';

/**
 * The finder cuts a log into regions it parses alone, and most of them never: what it finds must be what the
 * streaming reader finds reading every line, whatever the log holds and wherever its chunks end.
 */

const captures = memInfoFixtures();
// A program's own output between dumps, including lines that look like parts of one.
const NOISE = [
	'sensor 12.5 C, 48 % rH, wifi -61 dBm',
	'total rainfall 3 mm',
	'stack: overflow?',
	'00000000: not a row really',
	'       (3 lines all free)',
	'GC memory layout; from 2f8a0:',
	' No. of 1-blocks: 1, 2-blocks: 2, max blk sz: 3',
	'>>> ',
	'',
	'{"not": "json at the start of a line"}',
];

/** A log of `count` pieces: captures (some mutated, some cut short), noise and heaptop's own printed text. */
function log(seed: number, count: number): string {
	const next = random(seed);
	const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
	let text = 'boot\n';
	for (let index = 0; index < count; index++) {
		const roll = next();
		const capture = pick(captures).text;
		if (roll < 0.35) text += capture;
		else if (roll < 0.5) text += mutate(capture, Math.floor(next() * 1e6) + 1).text;
		else if (roll < 0.6) text += capture.slice(0, Math.floor(next() * capture.length));
		else if (roll < 0.63) text += formatSnapshots([...createDumpReader().push(capture)], printOptions);
		else text += `${pick(NOISE)}\n`;
	}
	return text;
}

const printOptions = { json: false, all: false, color: false };

/** The same log as bytes in chunks of random sizes, from a byte to a few megabytes. */
function chunks(bytes: Buffer, seed: number): Buffer[] {
	const next = random(seed);
	const out: Buffer[] = [];
	for (let at = 0; at < bytes.length; ) {
		const size = Math.max(1, Math.floor(next() ** 3 * 300_000));
		out.push(bytes.subarray(at, at + size));
		at += size;
	}
	return out;
}

function described(snapshot: HeapSnapshot | undefined): string {
	return snapshot === undefined ? 'none' : JSON.stringify(snapshotToJson(snapshot));
}

/** What inspect printed before the finder: the streaming reader's last dump, fed the same chunks decoded. */
function readerLast(parts: readonly Buffer[]): { last: HeapSnapshot | undefined; reason: string } {
	const reader = createDumpReader();
	const decoder = new TextDecoder();
	let last: HeapSnapshot | undefined;
	for (const part of parts) last = reader.push(decoder.decode(part, { stream: true })).at(-1) ?? last;
	last = [...reader.push(decoder.decode()), ...reader.end()].at(-1) ?? last;
	return { last, reason: reader.noDumpReason() };
}

/** `budgetBytes`: small, so that regions are resolved many times over in a log of test size. */
function finderLast(
	parts: readonly Buffer[],
	budgetBytes?: number,
): { last: HeapSnapshot | undefined; reason: string } {
	const finder = createLastDumpFinder(budgetBytes === undefined ? {} : { budgetBytes });
	for (const part of parts) finder.push(part);
	const last = finder.end();
	return { last, reason: last === undefined ? finder.noDumpReason() : '' };
}

test('the last dump of a generated log is the one the streaming reader finds, wherever the chunks end', () => {
	for (let seed = 1; seed <= 120; seed++) {
		const bytes = Buffer.from(log(seed, 5 + (seed % 60)));
		const parts = chunks(bytes, seed);
		const expected = readerLast(parts);
		for (const budget of [undefined, 8 * 1024]) {
			const found = finderLast(parts, budget);
			assert.equal(described(found.last), described(expected.last), `seed ${seed}, budget ${budget}`);
			if (expected.last === undefined) assert.equal(found.reason, expected.reason, `seed ${seed}: why none`);
		}
	}
});

test('a log of thousands of dumps, cut into many regions, still ends on its last dump', () => {
	const [first, second] = captures;
	assert.ok(first && second);
	const text = `${`${first.text}noise\n`.repeat(3000)}${second.text}${'tail line\n'.repeat(10)}`;
	const parts = chunks(Buffer.from(text), 7);
	const expected = described(readerLast(parts).last);
	for (const budget of [undefined, 256 * 1024]) assert.equal(described(finderLast(parts, budget).last), expected);
});

test('a log whose last dumps are cut off ends on the last whole one, and one with none says why', () => {
	const [capture] = captures;
	assert.ok(capture);
	const cut = 'mem: total=1, current=1, peak=1\nstack: 1 out of 2\n';
	const parts = [Buffer.from(`${capture.text}${'x\n'.repeat(100_000)}${cut}`)];
	assert.equal(described(finderLast(parts).last), described(readerLast(parts).last));
	const none = [Buffer.from(`${'x\n'.repeat(100_000)}${cut}`)];
	assert.equal(finderLast(none).last, undefined);
	assert.equal(finderLast(none).reason, readerLast(none).reason);
	assert.match(finderLast([Buffer.from('nothing here\n')]).reason, /no mem_info dump found/);
});
