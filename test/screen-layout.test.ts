import assert from 'node:assert/strict';
import { test } from 'node:test';
import { layoutScreen, MIN_COLUMNS, MIN_ROWS } from '../source/ui/layout/screen-layout.js';

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
