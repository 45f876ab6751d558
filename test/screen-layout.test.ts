import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HeapSnapshot } from '../source/heap/model.js';
import { parseMemInfo } from '../source/heap/parse.js';
import { noPainter } from '../source/present/paint.js';
import { frameGeometry } from '../source/ui/layout/frame-geometry.js';
import { metricsOf } from '../source/ui/layout/metrics.js';
import { layoutScreen, MIN_COLUMNS, MIN_ROWS, sidePanels } from '../source/ui/layout/screen-layout.js';
import { initialViewState } from '../source/ui/state/view-state.js';
import { gcPanelLines, legendLines, panelNaturalWidth } from '../source/ui/text/panels.js';
import { readMemInfoFixture } from './helpers/fixtures.js';

const base = { legend: true, log: false, captionLines: 1, legendLines: 2, panelWantsWidth: 32 };

test('the parts add up to the terminal exactly, at every size from the minimum up', () => {
	for (let columns = MIN_COLUMNS; columns <= 220; columns += 7) {
		for (let rows = MIN_ROWS; rows <= 70; rows += 3) {
			for (const log of [false, true]) {
				const layout = layoutScreen({ ...base, columns, rows, log });
				const height =
					1 + layout.captionLines + layout.bodyLines + layout.logLines + layout.legendLines + layout.historyLines + 1;
				assert.equal(height, rows, `${columns}×${rows} log ${log}`);
				assert.ok(layout.mapWidth + layout.panelWidth === columns);
				assert.ok(layout.bodyLines >= 3);
			}
		}
	}
});

test('below 60×16 the layout says too small', () => {
	assert.equal(layoutScreen({ ...base, columns: 59, rows: 24 }).tooSmall, true);
	assert.equal(layoutScreen({ ...base, columns: 80, rows: 15 }).tooSmall, true);
	assert.equal(layoutScreen({ ...base, columns: 80, rows: 24 }).tooSmall, false);
});

test('the panels keep their natural width and the map takes all the rest, however wide the terminal', () => {
	const small = layoutScreen({ ...base, columns: 80, rows: 24 });
	assert.equal(small.panelWidth, 32);
	assert.equal(small.mapWidth, 48);
	const wide = layoutScreen({ ...base, columns: 200, rows: 60 });
	assert.equal(wide.panelWidth, 32);
	assert.equal(wide.mapWidth, 168);
	// Never narrower than the stack bar needs, nor so wide that the map has no room.
	assert.equal(layoutScreen({ ...base, panelWantsWidth: 12, columns: 80, rows: 24 }).panelWidth, 26);
	assert.equal(layoutScreen({ ...base, panelWantsWidth: 90, columns: 200, rows: 60 }).panelWidth, 44);
	assert.equal(layoutScreen({ ...base, panelWantsWidth: 40, columns: 60, rows: 16 }).mapWidth, 34);
});

/** The screen's layout and map at a size, with the demo's caption lines and the legend this width needs. */
function frameAt(snapshot: HeapSnapshot, columns: number, rows: number, captionLines: number) {
	const legend = legendLines(snapshot, columns, noPainter).length;
	return frameGeometry(initialViewState(1000), { snapshot, columns, rows, captionLines, legendLines: legend });
}

test('at every width from 60 to 200 the map takes the width (at most 3 idle columns) and the panels keep theirs', () => {
	for (const fixture of ['webassembly-v1.27-fragmented-192k.txt', 'webassembly-pyscript-v1.27-three-areas.txt']) {
		const parsed = parseMemInfo(readMemInfoFixture(fixture));
		assert.ok(parsed.ok);
		const snapshot = parsed.snapshot;
		const natural = panelNaturalWidth(snapshot, metricsOf(snapshot));
		for (let columns = 60; columns <= 200; columns++) {
			for (const rows of [16, 24, 30, 60]) {
				const { layout, geometry } = frameAt(snapshot, columns, rows, 1);
				const at = `${fixture} ${columns}x${rows}`;
				const idle = layout.mapInner.width - (geometry.labelDigits + 1) - geometry.plan.cellsPerRow;
				assert.ok(idle >= 0 && idle <= 3, `${at}: ${idle} idle columns in the map`);
				assert.ok(layout.panelWidth <= Math.max(26, natural), `${at}: panel ${layout.panelWidth} > natural ${natural}`);
			}
		}
	}
});

test('from 60x16 to 200x60 the GC panel keeps the largest free run and the fragmentation', () => {
	const parsed = parseMemInfo(readMemInfoFixture('webassembly-v1.27-fragmented-192k.txt'));
	assert.ok(parsed.ok);
	const snapshot = parsed.snapshot;
	const metrics = metricsOf(snapshot);
	for (let columns = 60; columns <= 200; columns += 10) {
		for (let rows = 16; rows <= 60; rows++) {
			const { layout } = frameAt(snapshot, columns, rows, 2);
			const inner = layout.panelWidth - 4;
			const wanted = 2 + gcPanelLines(snapshot, metrics, inner, noPainter).length;
			const side = sidePanels(layout.bodyLines, wanted);
			const shown = gcPanelLines(snapshot, metrics, inner, noPainter, side.gcLines - 2).join('\n');
			assert.match(shown, /largest free/, `${columns}x${rows}`);
			assert.match(shown, /fragmentation/, `${columns}x${rows}`);
			assert.ok(side.gcLines + side.stackLines + side.freeRunsLines + side.kindsLines <= layout.bodyLines);
		}
	}
	// Rows given up are the least telling: with room for four, these four, in reading order.
	const four = gcPanelLines(snapshot, metrics, 26, noPainter, 4).map((line) => line.split(/ {2,}/)[0]);
	assert.deepEqual(four, ['used 48.9 %', 'free', 'largest free', 'fragmentation']);
});
