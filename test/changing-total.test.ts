import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeSnapshot } from '../source/heap/analyze.js';
import type { HeapSnapshot } from '../source/heap/model.js';
import { parseMemInfo } from '../source/heap/parse.js';
import { formatMap, formatSummary } from '../source/output/plain.js';
import { planMap } from '../source/present/map-layout.js';
import { createPainter } from '../source/present/paint.js';
import { gcTotalsSnapshot } from '../source/sources/board.js';
import { loadVm } from '../source/sources/micropython-vm.js';
import { createHistory } from '../source/ui/state/history.js';
import { glyphsFor } from '../source/ui/text/glyphs.js';
import { gcPanelLines, historyLines } from '../source/ui/text/panels.js';

/**
 * A GC total that changes between readings (esp32's split-heap-auto, CircuitPython 9's heap grown from an outer
 * heap, protocol.md §11.2): the history, the sparklines, the map plan and the panels take each reading as it
 * is. The readings come from the real VM with a heap that grows, and from the gc module as CircuitPython has.
 */

const painter = createPainter(false);
const glyphs = glyphsFor(false);

function everyFigureIsANumber(lines: readonly string[]): void {
	for (const line of lines) assert.doesNotMatch(line, /NaN|undefined|Infinity/, line);
}

test('a heap that grows in new areas between readings: history, sparklines, map plan and panel follow it', () => {
	return (async () => {
		const vm = await loadVm({ heapBytes: 16 * 1024, growable: true, maxNewSplitBytes: 128 * 1024 });
		const history = createHistory();
		const snapshots: HeapSnapshot[] = [];
		// Each step keeps more alive, so the GC adds an area; the reading after a collect shows the new total.
		for (let step = 0; step < 4; step++) {
			const result = vm.exec(`keep${step} = [bytearray(1000) for _ in range(${6 + step * 6})]`);
			assert.ok(result.ok, JSON.stringify(result));
			vm.collect();
			const parsed = parseMemInfo(vm.memInfo());
			assert.ok(parsed.ok);
			snapshots.push(parsed.snapshot);
			history.push({ snapshot: parsed.snapshot, atMs: 1000 * step, afterCollect: true });
		}
		vm.close();
		const totals = snapshots.map((snapshot) => snapshot.gc.totalBytes);
		const areaCounts = snapshots.map((snapshot) => snapshot.areas.length);
		assert.ok(new Set(totals).size > 1, `the total changed: ${totals.join(', ')}`);
		assert.ok((areaCounts.at(-1) ?? 0) > (areaCounts[0] ?? 0), `areas were added: ${areaCounts.join(', ')}`);
		assert.equal(history.collectPoints().length, 4);
		assert.equal(history.marks().peakUsedBytes, Math.max(...snapshots.map((s) => s.gc.usedBytes)));
		const lines = historyLines(history.points(), history.marks(), 60, 2, painter, glyphs);
		everyFigureIsANumber(lines);
		for (const snapshot of snapshots) {
			// Every area of each reading gets its place in the map, whatever the last reading had.
			const plan = planMap(
				snapshot.areas.map((area) => ({ address: area.address, blocks: area.cells.length })),
				64,
				1,
			);
			assert.equal(plan.sections.length, snapshot.areas.length);
			const panel = gcPanelLines(snapshot, analyzeSnapshot(snapshot), 30, painter);
			everyFigureIsANumber(panel);
			assert.ok(panel.some((line) => line.includes(snapshot.gc.totalBytes.toLocaleString('en-US'))));
		}
	})();
});

test('CircuitPython 9 readings from the gc module: a total that moves, named for what it is', () => {
	const cp = { implementation: 'circuitpython', majorVersion: 9 };
	// used and mem_free as CircuitPython prints them: mem_free includes the room the heap can still grow by.
	const readings = ['6896 156176', '40960 150528', '12288 158720'].map((line) => gcTotalsSnapshot(line, cp));
	const history = createHistory();
	readings.forEach((snapshot, index) => {
		assert.ok(snapshot);
		assert.deepEqual(snapshot.gcModuleOnly, { firmware: 'circuitpython', mayGrow: true });
		history.push({ snapshot, atMs: index * 1000, afterCollect: true });
		const panel = gcPanelLines(snapshot, analyzeSnapshot(snapshot), 30, painter);
		assert.ok(panel.some((line) => line.includes('can reach')));
		everyFigureIsANumber(panel);
		const summary = formatSummary(snapshot, { color: false });
		assert.match(summary, /can reach [\d,]+ B \(used \+ mem_free: the heap grows\)/);
		assert.match(summary, /includes what the heap can still grow by/);
		assert.match(formatMap(snapshot, { color: false }), /^map {7}none: CircuitPython has no micropython\.mem_info/);
	});
	everyFigureIsANumber(historyLines(history.points(), history.marks(), 60, 2, painter, glyphs));
	assert.equal(history.marks().peakUsedBytes, 40960);

	const minimal = gcTotalsSnapshot('3000 60000', { implementation: 'micropython', majorVersion: 1 });
	assert.deepEqual(minimal?.gcModuleOnly, { firmware: 'micropython', mayGrow: false });
	assert.ok(minimal && gcPanelLines(minimal, analyzeSnapshot(minimal), 30, painter).some((l) => l.includes('total')));
	assert.match(minimal?.warnings[0] ?? '', /a minimal build/);
});
