import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAllMemInfo } from '../source/heap/parse.js';
import { createPrintedReader } from '../source/heap/read-printed.js';
import { formatSnapshots } from '../source/output/print.js';
import { readMemInfoFixture } from './helpers/fixtures.js';

test('printed text whose map goes on without end is ended where the GC total says, warned, never held whole', () => {
	const [snapshot] = parseAllMemInfo(readMemInfoFixture('qemu-mps2an385-v1.29pre-mem_info1.txt'));
	assert.ok(snapshot);
	const printed = formatSnapshots([snapshot], { json: false, all: false, color: false });
	const firstRow = printed.indexOf('\n00000000 ') + 1;
	const row = printed.slice(firstRow, printed.indexOf('\n', firstRow) + 1);
	const reader = createPrintedReader();
	const found = [...reader.push(printed.slice(0, firstRow))];
	// Two hundred thousand rows of the first, fed in pieces: far past the 611 table lines 140,032 B allow.
	for (let piece = 0; piece < 200; piece++) found.push(...reader.push(row.repeat(1000)));
	found.push(...reader.end());
	assert.equal(found.length, 1);
	assert.ok(found[0]?.warnings.some((warning) => /the map goes on past 611 lines/.test(warning)));
	assert.ok((found[0]?.text.split('\n').length ?? 0) < 700);
});
