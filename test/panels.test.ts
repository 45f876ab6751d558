import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeSnapshot } from '../source/heap/analyze.js';
import { parseAllMemInfo } from '../source/heap/parse.js';
import { formatBytes, formatCount, formatPercent } from '../source/present/format.js';
import { createPainter } from '../source/present/paint.js';
import { visibleLength } from '../source/present/text-fit.js';
import { createHistory, historyOfRecording, pointOf } from '../source/ui/state/history.js';
import { glyphsFor } from '../source/ui/text/glyphs.js';
import {
	freeRunLines,
	gcPanelLines,
	historyLines,
	kindsPanelLines,
	legendLines,
	stackLine,
} from '../source/ui/text/panels.js';
import { columnOf } from '../source/ui/text/sparkline.js';
import { memInfoFixtures, readMemInfoFixture } from './helpers/fixtures.js';
import { plain } from './helpers/ink.js';

const painter = createPainter(false);
const glyphs = glyphsFor(false);
const [BEFORE, AFTER] = parseAllMemInfo(readMemInfoFixture('qemu-mps2an385-v1.29pre-two-dumps-before-after-gc.txt'));

test('every fixture’s GC panel fits its width and shows total, used and free in bytes', () => {
	for (const { name, text } of memInfoFixtures()) {
		for (const snapshot of parseAllMemInfo(text)) {
			const metrics = analyzeSnapshot(snapshot);
			for (const width of [22, 26, 40]) {
				const lines = gcPanelLines(snapshot, metrics, width, painter);
				for (const line of lines) assert.ok(visibleLength(line) <= width, `${name} at ${width}: ${line}`);
				const text = lines.map(plain).join('\n');
				for (const bytes of [snapshot.gc.totalBytes, snapshot.gc.usedBytes, snapshot.gc.freeBytes]) {
					assert.ok(text.includes(formatBytes(bytes)), `${name}: ${formatBytes(bytes)}`);
				}
			}
		}
	}
});

test('the GC panel gives the largest free run in bytes and blocks, fragmentation, and max new split when printed', () => {
	assert.ok(AFTER);
	const metrics = analyzeSnapshot(AFTER);
	const text = gcPanelLines(AFTER, metrics, 26, painter).join('\n');
	assert.ok(text.includes(formatBytes(metrics.largestAllocatableBytes ?? -1)));
	assert.ok(text.includes(`${formatCount(metrics.largestFreeBlocks ?? -1)} blocks`));
	assert.ok(text.includes(formatPercent(metrics.fragmentation ?? -1)));
	const [wasm] = parseAllMemInfo(readMemInfoFixture('webassembly-pyscript-v1.27-three-areas.txt'));
	assert.ok(wasm?.gc.maxNewSplitBytes !== undefined);
	assert.ok(gcPanelLines(wasm, analyzeSnapshot(wasm), 30, painter).join('\n').includes('max new split'));
});

test('the stack is a bar with used out of the limit, or a number alone without a limit', () => {
	assert.ok(BEFORE?.stack?.limitBytes);
	const line = stackLine(BEFORE, 26, painter, glyphs);
	assert.equal(visibleLength(line), 26);
	assert.ok(line.includes(`${formatCount(BEFORE.stack.usedBytes)} / ${formatBytes(BEFORE.stack.limitBytes)}`));
	assert.ok(line.includes(glyphs.barFull));
	const noLimit = { ...BEFORE, stack: { usedBytes: BEFORE.stack.usedBytes } };
	const alone = stackLine(noLimit, 26, painter, glyphs);
	assert.ok(alone.includes(formatBytes(BEFORE.stack.usedBytes)) && !alone.includes(glyphs.barFull));
});

test('the legend has every kind with its object count, in lines that fit', () => {
	assert.ok(BEFORE?.map);
	const lines = legendLines(BEFORE, 79, painter);
	for (const line of lines) assert.ok(visibleLength(line) <= 79);
	const text = plain(lines.join('  '));
	for (const [letter, kind] of Object.entries(BEFORE.map.kinds)) {
		if (letter === '.' || letter === '=') continue;
		assert.match(text, new RegExp(`${letter} \\S+ ${formatCount(kind.objects)}(\\s|$)`));
	}
});

test('history lines show the latest figures and the session marks, or a hint before the first collect', () => {
	assert.ok(BEFORE && AFTER);
	const history = createHistory();
	assert.ok(historyLines(history.collectPoints(), history.marks(), 80, 2, painter, glyphs)[0]?.includes('press g'));
	history.push({ snapshot: BEFORE, atMs: 1, afterCollect: true });
	history.push({ snapshot: AFTER, atMs: 2, afterCollect: true });
	const lines = historyLines(history.collectPoints(), history.marks(), 80, 2, painter, glyphs);
	assert.equal(lines.length, 2);
	assert.ok(lines[0]?.includes(formatBytes(AFTER.gc.usedBytes)));
	assert.ok(lines[0]?.includes(`peak ${formatBytes(BEFORE.gc.usedBytes)}`));
	for (const line of lines) assert.ok(visibleLength(line) <= 80);
});

test('the kinds panel lists kinds by bytes and the free runs by size', () => {
	assert.ok(AFTER);
	const metrics = analyzeSnapshot(AFTER);
	const lines = kindsPanelLines(metrics, 40, painter, glyphs).map(plain);
	for (const line of lines) assert.ok(line.length <= 40, line);
	const runs = metrics.freeRunHistogram.filter((bucket) => bucket.runs > 0);
	assert.ok(runs.length > 0);
	for (const bucket of runs) assert.ok(lines.some((line) => line.endsWith(formatCount(bucket.runs))));
});

test("the kinds panel keeps every count and size whole at the width of the screen's panel; names give way", () => {
	assert.ok(AFTER);
	const metrics = analyzeSnapshot(AFTER);
	for (const width of [25, 30, 40]) {
		const lines = kindsPanelLines(metrics, width, painter, glyphs, false).map(plain);
		assert.match(lines[0] ?? '', /^kind +objects +bytes$/);
		for (const [letter, kind] of Object.entries(metrics.kinds)) {
			if (letter === '.' || letter === '=') continue;
			const row = lines.find((line) => line.startsWith(`${letter} `));
			assert.ok(row, `${letter} at ${width}`);
			const size = kind.bytes === undefined ? `${formatCount(kind.blocks)} blk` : formatBytes(kind.bytes);
			assert.match(row, new RegExp(` ${formatCount(kind.objects)} +${size}$`), `${row} at ${width}`);
			assert.ok(row.length <= width, row);
		}
	}
});

test('free-run lines fit their width and, largest first, start with the longest runs', () => {
	assert.ok(AFTER);
	const metrics = analyzeSnapshot(AFTER);
	const lines = freeRunLines(metrics, 26, painter, glyphs, true).map(plain);
	const buckets = metrics.freeRunHistogram.filter((bucket) => bucket.runs > 0);
	assert.equal(lines.length, buckets.length);
	for (const line of lines) assert.ok(line.length <= 26, line);
	const largest = buckets[buckets.length - 1];
	assert.ok(largest && lines[0]?.startsWith(`${largest.minBlocks}-${largest.maxBlocks}`));
});

test('the used line shows the climb per collect once there are three collects', () => {
	const history = createHistory();
	assert.ok(BEFORE && AFTER);
	for (const [index, snapshot] of [AFTER, BEFORE, BEFORE].entries())
		history.push({ snapshot, atMs: index, afterCollect: true });
	const [usedLine] = historyLines(history.collectPoints(), history.marks(), 100, 2, painter, glyphs);
	const climb = (BEFORE.gc.usedBytes - AFTER.gc.usedBytes) / 2;
	assert.ok(usedLine?.includes(`+${formatBytes(Math.round(climb))}/gc`), usedLine);
});

test('in a replay the sparklines cover the whole recording, with the cursor in inverse video and its figures', () => {
	assert.ok(BEFORE && AFTER);
	// Many collects, the highest `used` at the very start: a live sparkline of the last points misses it.
	const points = Array.from({ length: 300 }, (_, index) => pointOf(index === 0 ? BEFORE : AFTER, index, true));
	const { collectPoints, marks } = historyOfRecording(points);
	const top = glyphs.spark[glyphs.spark.length - 1];
	const live = historyLines(collectPoints, marks, 80, 2, painter, glyphs).map(plain);
	assert.ok(!live[0]?.includes(top ?? ''), `the live line shows only the last points: ${live[0]}`);
	const widths = new Set<number>();
	for (const cursor of [0, 150, 299]) {
		const lines = historyLines(collectPoints, marks, 80, 2, painter, glyphs, cursor);
		const [used = '', largest = ''] = lines;
		for (const line of lines) assert.ok(visibleLength(line) <= 80, line);
		const spark = plain(used).slice(14).split(' ')[0] ?? '';
		widths.add(spark.length);
		assert.equal(spark[0], top, `the first collect, the peak, is the first column: ${plain(used)}`);
		// The inverse column is where the cursor's point falls.
		const before = plain(used.slice(0, used.indexOf('\u001b[7m')));
		assert.equal(before.length - 14, columnOf(cursor, collectPoints.length, spark.length), plain(used));
		const shown = cursor === 0 ? BEFORE : AFTER;
		assert.ok(plain(used).includes(` ${formatBytes(shown.gc.usedBytes)}  peak ${formatBytes(BEFORE.gc.usedBytes)}`));
		const column = (line: string) => plain(line.slice(0, line.indexOf('\u001b[7m'))).length;
		assert.equal(column(largest), column(used), 'the cursor stands in the same column on both lines');
	}
	assert.equal(widths.size, 1, 'the sparkline keeps its width as the cursor moves');
});

test('a replay with no reading after a collect says so instead of asking for g', () => {
	assert.ok(historyLines([], {}, 80, 2, painter, glyphs, -1)[0]?.includes('no reading taken after a collect'));
});
