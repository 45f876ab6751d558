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

test('bundled as shipped (Ink with its output caches kept across frames), frames are byte for byte the same', async () => {
	const { importBundled } = await import('./bench/bundled.js');
	const bundled = await importBundled<typeof import('./bench/frame.js')>(
		new URL('./bench/frame.tsx', import.meta.url).pathname,
	);
	const snapshots = parseAllMemInfo(readMemInfoFixture('qemu-mps2an385-v1.29pre-two-dumps-before-after-gc.txt'));
	const [first, second] = snapshots;
	assert.ok(first && second);
	const shipped = bundled.createFrameBench(first, 100, 30);
	const source = createFrameBench(first, 100, 30);
	try {
		// New readings, back and forth, scrolled and zoomed: lines the caches hold, and lines new to them.
		const steps = [
			[0, 1, second],
			[0, 1, first],
			[3, 1, second],
			[0, 'fit', first],
			[0, 2, second],
			[0, 'fit', second],
		] as const;
		for (const [scrollLine, zoom, next] of steps) {
			assert.equal(shipped.frame(scrollLine, zoom, next), source.frame(scrollLine, zoom, next));
		}
		assert.equal(shipped.bytesWritten, source.bytesWritten);
	} finally {
		shipped.close();
		source.close();
	}
});
