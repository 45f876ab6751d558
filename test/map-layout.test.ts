import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAllMemInfo } from '../source/heap/parse.js';
import {
	cellsPerRowFor,
	clampScroll,
	fitZoom,
	labelDigitsFor,
	lineOfBlock,
	packCells,
	planMap,
	visibleLines,
} from '../source/present/map-layout.js';
import { memInfoFixtures, readMemInfoFixture } from './helpers/fixtures.js';

const [BEFORE] = parseAllMemInfo(readMemInfoFixture('qemu-mps2an385-v1.29pre-two-dumps-before-after-gc.txt'));
const [THREE] = parseAllMemInfo(readMemInfoFixture('webassembly-pyscript-v1.27-three-areas.txt'));

/** The kind each block belongs to, by a plain walk: a tail belongs to the head before it. */
function ownerKinds(cells: string): string[] {
	const owners: string[] = [];
	let head = '=';
	for (const cell of cells) {
		if (cell === '.') head = '=';
		else if (cell !== '=') head = cell;
		owners.push(cell === '.' ? '.' : head);
	}
	return owners;
}

test('a row holds every whole step of 4 cells there is room for, not capped at the dump’s 64, and never none', () => {
	assert.equal(cellsPerRowFor(200, 9), 188);
	assert.equal(cellsPerRowFor(50, 6), 44);
	assert.equal(cellsPerRowFor(20, 9), 8);
	for (let width = 1; width < 300; width++) {
		const cells = cellsPerRowFor(width, 6);
		assert.equal(cells % 4, 0);
		if (width >= 6 + 8) assert.ok(cells + 6 <= width && cells + 6 + 4 > width, `${width}`);
	}
});

test('labels are as wide as the largest offset needs', () => {
	assert.equal(labelDigitsFor([{ address: '0', blocks: 4096 }], 16), 4);
	assert.equal(labelDigitsFor([{ address: '0', blocks: 4097 }], 16), 5);
	assert.equal(labelDigitsFor([{ address: '0', blocks: 64 }], 16), 4);
});

test('visible lines cover every block of every area exactly once, with a title per area', () => {
	for (const { name, text } of memInfoFixtures()) {
		for (const snapshot of parseAllMemInfo(text)) {
			if (snapshot.areas.length === 0) continue;
			const areas = snapshot.areas.map((area) => ({ address: area.address, blocks: area.cells.length }));
			for (const zoom of [1, 2, 8]) {
				const plan = planMap(areas, 16, zoom);
				const lines = visibleLines(plan, 0, plan.totalLines);
				assert.equal(lines.length, plan.totalLines, name);
				const covered = areas.map(() => 0);
				for (const line of lines) {
					if (line.kind === 'row')
						covered[line.areaIndex] =
							(covered[line.areaIndex] ?? 0) +
							Math.min(line.cells * zoom, (areas[line.areaIndex]?.blocks ?? 0) - line.firstBlock);
				}
				assert.deepEqual(
					covered,
					areas.map((area) => area.blocks),
					name,
				);
				assert.equal(lines.filter((line) => line.kind === 'title').length, areas.length > 1 ? areas.length : 0);
			}
		}
	}
});

test('a window into the middle gives the same lines as the whole list sliced', () => {
	assert.ok(THREE);
	const areas = THREE.areas.map((area) => ({ address: area.address, blocks: area.cells.length }));
	const plan = planMap(areas, 8, 1);
	const all = visibleLines(plan, 0, plan.totalLines);
	for (let first = 0; first < plan.totalLines; first += 3) {
		assert.deepEqual(visibleLines(plan, first, 5), all.slice(first, first + 5));
	}
});

test('a packed cell shows free only when all its blocks are free, else its most common kind', () => {
	assert.ok(BEFORE);
	const cells = BEFORE.areas[0]?.cells.slice() ?? '';
	const owners = ownerKinds(cells);
	for (const zoom of [2, 4, 8, 32]) {
		const packed = packCells(cells, 0, Math.ceil(cells.length / zoom), zoom);
		assert.equal(packed.length, Math.ceil(cells.length / zoom));
		for (let cell = 0; cell < packed.length; cell++) {
			const group = owners.slice(cell * zoom, cell * zoom + zoom);
			const used = group.filter((kind) => kind !== '.');
			if (used.length === 0) {
				assert.equal(packed[cell], '.');
				continue;
			}
			const counts = new Map<string, number>();
			for (const kind of used) counts.set(kind, (counts.get(kind) ?? 0) + 1);
			const most = Math.max(...counts.values());
			assert.equal(counts.get(packed[cell] ?? ''), most, `zoom ${zoom} cell ${cell}`);
		}
	}
});

test('packing from the middle of an object counts its tails as the object’s kind', () => {
	assert.ok(BEFORE);
	const cells = BEFORE.areas[0]?.cells.slice() ?? '';
	const start = cells.indexOf('h===============') + 4;
	assert.equal(packCells(cells, start, 1, 8), 'h');
	assert.equal(packCells(cells, 0, 10, 1), cells.slice(0, 10));
});

test('the fit is the fewest blocks a cell that show the whole heap, for one area and for several', () => {
	assert.ok(BEFORE && THREE);
	const cases = [
		[{ address: '0', blocks: BEFORE.areas[0]?.cells.length ?? 0 }],
		THREE.areas.map((area) => ({ address: area.address, blocks: area.cells.length })),
		[{ address: '0', blocks: 524_288 }],
	];
	for (const areas of cases) {
		for (const [cells, height] of [
			[32, 15],
			[40, 10],
			[152, 50],
			[8, 3],
		] as const) {
			const fit = fitZoom(areas, cells, height);
			if (planMap(areas, cells, 1).totalLines <= height) {
				assert.equal(fit, 1);
				continue;
			}
			const titles = areas.length > 1 ? areas.length : 0;
			if (titles + areas.length > height) continue;
			assert.ok(planMap(areas, cells, fit).totalLines <= height, `${cells}x${height}: ${fit} fits`);
			assert.ok(planMap(areas, cells, fit - 1).totalLines > height, `${cells}x${height}: ${fit - 1} does not`);
		}
	}
});

test('scrolling stays inside the map, and a block keeps its line across a zoom', () => {
	assert.equal(clampScroll(-3, 100, 10), 0);
	assert.equal(clampScroll(500, 100, 10), 90);
	assert.equal(clampScroll(5, 4, 10), 0);
	const plan = planMap(
		[
			{ address: 'a', blocks: 100 },
			{ address: 'b', blocks: 100 },
		],
		10,
		1,
	);
	const line = lineOfBlock(plan, 1, 55);
	const [shown] = visibleLines(plan, line, 1);
	assert.ok(shown?.kind === 'row' && shown.areaIndex === 1 && shown.firstBlock <= 55 && shown.firstBlock + 10 > 55);
});
