import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findBlockers, largestFreeRunBlocks } from '../source/heap/blockers.js';
import { Cells, CellsBuilder } from '../source/heap/cells.js';
import { diffSnapshots } from '../source/heap/diff.js';
import { fitAllocation } from '../source/heap/fit.js';
import { parseMemInfo } from '../source/heap/parse.js';
import { snapshotToJson } from '../source/output/json.js';
import { formatSnapshotText } from '../source/output/plain.js';
import { packCells } from '../source/present/map-layout.js';
import { readMemInfoFixture } from './helpers/fixtures.js';

/** A small deterministic generator, so that a failure names its seed. */
function random(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
		return state / 2 ** 32;
	};
}

test('cells read as the string they stand for: charCodeAt, slice, runs, in any order', () => {
	for (let seed = 1; seed <= 200; seed++) {
		const next = random(seed);
		const builder = new CellsBuilder();
		let text = '';
		for (let part = 0; part < 1 + Math.floor(next() * 8); part++) {
			if (next() < 0.4) {
				const count = Math.floor(next() * 200);
				builder.addRepeat(0x2e, count);
				text += '.'.repeat(count);
			} else {
				const row = Array.from({ length: Math.floor(next() * 70) }, () => 'h=.AL'[Math.floor(next() * 5)]).join('');
				builder.addText(row);
				text += row;
			}
		}
		const cells = builder.build();
		assert.equal(cells.length, text.length, `seed ${seed}`);
		assert.equal(cells.slice(), text, `seed ${seed}`);
		for (let probe = 0; probe < 50; probe++) {
			const index = Math.floor(next() * (text.length + 2)) - 1;
			assert.equal(cells.charCodeAt(index), text.charCodeAt(index), `seed ${seed} index ${index}`);
			const start = Math.max(0, index);
			const end = start + Math.floor(next() * 80);
			assert.equal(cells.slice(start, end), text.slice(start, end), `seed ${seed}`);
		}
		const runs: string[] = [];
		cells.forEachRun((code, count) => runs.push(String.fromCharCode(code).repeat(count)));
		assert.equal(runs.join(''), text, `seed ${seed}`);
		assert.ok(
			runs.every((run, index) => index === 0 || run[0] !== runs[index - 1]?.[0]),
			'runs are maximal',
		);
		for (let zoom = 2; zoom <= 64; zoom *= 4) {
			const count = Math.ceil(text.length / zoom);
			assert.equal(packCells(cells, 0, count, zoom), packCells(text, 0, count, zoom), `seed ${seed} zoom ${zoom}`);
			// A window from inside the map, as a scrolled row is: the run walk starts mid-segment.
			const from = Math.floor(next() * text.length);
			const some = 1 + Math.floor(next() * 12);
			assert.equal(packCells(cells, from, some, zoom), packCells(text, from, some, zoom), `seed ${seed} from ${from}`);
		}
	}
	assert.equal(Cells.of('h=.').slice(1), '=.');
});

/** A real capture whose elision line claims `rows` free rows, with the GC figures made to agree. */
function withElision(rows: number): string {
	const text = readMemInfoFixture('qemu-mps2an385-v1.29pre-mem_info1.txt');
	const extra = (rows - 128) * 64 * 16;
	return text
		.replace('(128 lines all free)', `(${rows} lines all free)`)
		.replace(/GC: total: (\d+), used: (\d+), free: (\d+)/, (_, total, used, free) => {
			return `GC: total: ${Number(total) + extra}, used: ${used}, free: ${Number(free) + extra}`;
		})
		.replace(/^([0-9a-f]{8}): /gm, (line, label: string) => {
			const offset = Number.parseInt(label, 16);
			// 8-digit labels wrap at 2^32, as `checkLabels` expects.
			return offset >= 0x22000 ? `${((offset + extra) % 2 ** 32).toString(16).padStart(8, '0')}: ` : line;
		})
		.replace(/max free sz: \d+/, 'max free sz: 0');
}

test('an elision of 2^30 rows is one run: parsed, counted, printed, diffed and zoomed without expanding it', () => {
	const result = parseMemInfo(withElision(2 ** 30));
	assert.ok(result.ok);
	const { snapshot } = result;
	const area = snapshot.areas[0];
	assert.ok(area && snapshot.map);
	assert.ok(area.cells.segments.length <= 3, 'the elision is one segment');
	assert.equal(snapshot.map.maxFreeBlocks > 2 ** 36, true);
	assert.equal(snapshot.map.complete, true);
	assert.equal(snapshot.map.freeBlocks * 16, snapshot.gc.freeBytes);
	const text = formatSnapshotText(snapshot, { color: false });
	assert.match(text, /\(1,073,741,8\d\d rows all free\)/);
	assert.ok(text.length < 20_000, 'the printed map folds the elided rows');
	assert.equal(snapshotToJson(snapshot).areas[0]?.blocks, area.cells.length);
	const diff = diffSnapshots(snapshot, snapshot);
	assert.equal(diff.freedBlocks + diff.allocatedBlocks + diff.changedBlocks, 0);
	assert.equal(diff.areas[0]?.marks, undefined, 'no per-block marks beyond MAX_MARKED');
	assert.equal(packCells(area.cells, 0, 64, 2 ** 30).length, 64);
	// The analyses of "why" walk the same runs: the run is whole there too, past 2^31 blocks.
	assert.equal(largestFreeRunBlocks(snapshot), snapshot.map.maxFreeBlocks);
	const [top] = findBlockers(snapshot, 1);
	assert.ok(top && top.mergedFreeBlocks > snapshot.map.maxFreeBlocks, 'freeing the object before it joins the run');
	const fit = fitAllocation(snapshot, 2 ** 38);
	assert.ok(fit.ok && fit.answer.fits && fit.answer.at);
	assert.equal(fit.answer.largestFreeBlocks, snapshot.map.maxFreeBlocks);
	// The capture's row 00001c00 ends in 8 free blocks: the run starts there and goes to the area's end.
	assert.equal(fit.answer.at.offsetBytes, 0x1c00 + 56 * 16);
	assert.equal(area.cells.length - snapshot.map.maxFreeBlocks, 0x1c00 / 16 + 56);
});

test('an elision beyond what the GC total holds is a warning: the map is damaged, its figures unknown', () => {
	for (const count of ['99999', '9'.repeat(400), String(2 ** 60)]) {
		const text = readMemInfoFixture('qemu-mps2an385-v1.29pre-mem_info1.txt')
			.replace('(128 lines all free)', `(${count} lines all free)`)
			.replace(/, max free sz: \d+/, '');
		const result = parseMemInfo(text);
		assert.ok(result.ok);
		const { snapshot } = result;
		assert.match(snapshot.warnings.join('\n'), /elision line claims .* free rows, more than the GC total can hold/);
		assert.equal(snapshot.map?.complete, false);
		const json = snapshotToJson(snapshot);
		assert.equal(json.metrics.largestFreeBlocks, null);
		assert.equal(json.metrics.fragmentation, null);
		assert.deepEqual(json.metrics.kinds, {});
		assert.match(formatSnapshotText(snapshot, { color: false }), /largest +free run unknown \(the map is cut off\)/);
	}
});
