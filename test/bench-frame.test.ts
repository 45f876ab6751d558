import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAllMemInfo } from '../source/heap/parse.js';
import { createFrameBench, renderFrameForBench } from './bench/frame.js';
import { readMemInfoFixture } from './helpers/fixtures.js';
import { plain } from './helpers/ink.js';

const [SNAPSHOT] = parseAllMemInfo(readMemInfoFixture('qemu-mps2an385-v1.29pre-two-dumps-before-after-gc.txt'));

test('the bench frame is the screen the TUI draws: the map through the overlay equals the map through Ink', () => {
	assert.ok(SNAPSHOT);
	const viaOverlay = plain(renderFrameForBench(SNAPSHOT, 80, 24));
	const viaInk = plain(renderFrameForBench(SNAPSHOT, 80, 24, { overlay: false }));
	assert.equal(viaOverlay, viaInk);
	assert.ok(viaOverlay.includes(SNAPSHOT.areas[0]?.cells.slice(0, 40) ?? 'missing'));
	assert.equal(viaOverlay.split('\n').length, 24);
});

test('a running bench instance redraws at any scroll position and zoom and matches a fresh render', () => {
	assert.ok(SNAPSHOT);
	const bench = createFrameBench(SNAPSHOT, 120, 40);
	try {
		for (const [scrollLine, zoom] of [
			[0, 1],
			[30, 1],
			[5, 4],
		] as const) {
			assert.equal(
				plain(bench.frame(scrollLine, zoom)),
				plain(renderFrameForBench(SNAPSHOT, 120, 40, { scrollLine, zoom })),
			);
		}
	} finally {
		bench.close();
	}
});
