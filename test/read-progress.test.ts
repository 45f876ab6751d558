import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createReadProgress, progressText } from '../source/output/read-progress.js';
import { guardOutput } from '../source/output/terminal-edge.js';
import { keptStream } from './helpers/kept-stream.js';

test('on a terminal: nothing in the first second, then one line redrawn in place at most every 200 ms, erased at the end', () => {
	const err = keptStream(true);
	let now = 0;
	const progress = createReadProgress({ stream: err, totalBytes: 4_000_000, nowMs: () => now });
	for (let step = 0; step < 10; step++) {
		now += 100;
		progress.add(100_000);
	}
	assert.equal(err.text(), '', 'a read of a second shows nothing');
	now += 100;
	progress.add(100_000);
	assert.equal(err.text(), '\rheaptop: reading 1,100,000 B of 4,000,000 B (27 %)\x1b[K');
	now += 100;
	progress.add(100_000);
	assert.equal(err.text().split('\r').length, 2, 'not redrawn within 200 ms');
	now += 100;
	progress.add(100_000);
	assert.ok(err.text().endsWith('\rheaptop: reading 1,300,000 B of 4,000,000 B (32 %)\x1b[K'));
	progress.end();
	assert.ok(err.text().endsWith('\r\x1b[K'), 'the line is erased before anything is printed');
	const length = err.text().length;
	progress.end();
	progress.add(1);
	assert.equal(err.text().length, length, 'nothing after the end');
});

test('a pipe or a file gets nothing, however long the read', () => {
	const err = keptStream(false);
	let now = 0;
	const progress = createReadProgress({ stream: err, nowMs: () => now });
	for (let step = 0; step < 100; step++) {
		now += 1000;
		progress.add(1_000_000);
	}
	progress.end();
	assert.equal(err.text(), '');
});

test('a quick read on a terminal writes nothing at all, not even the erase', () => {
	const err = keptStream(true);
	const progress = createReadProgress({ stream: err, nowMs: () => 0 });
	progress.add(1_000_000);
	progress.end();
	assert.equal(err.text(), '');
});

test('its return and erase-line pass the output edge unmarked: the line is heaptop’s own', () => {
	const err = keptStream(true);
	guardOutput(err);
	let now = 0;
	const progress = createReadProgress({ stream: err, nowMs: () => now });
	now = 2000;
	progress.add(5);
	progress.end();
	assert.equal(err.text(), '\rheaptop: reading 5 B so far\x1b[K\r\x1b[K');
});

test('the size is worded as every size is, and the share never passes 100 %', () => {
	assert.equal(progressText(1234, undefined), 'heaptop: reading 1,234 B so far');
	assert.equal(progressText(2000, 1000), 'heaptop: reading 2,000 B of 1,000 B (100 %)');
});
