import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BlockChange, diffSnapshots } from '../source/heap/diff.js';
import { parseAllMemInfo } from '../source/heap/parse.js';
import { formatBytes } from '../source/present/format.js';
import { kindStyle } from '../source/present/kinds.js';
import { planMap } from '../source/present/map-layout.js';
import { cellStyle, paintCells, paintMapLines, rowLabel } from '../source/present/map-rows.js';
import { createPainter } from '../source/present/paint.js';
import { readMemInfoFixture } from './helpers/fixtures.js';
import { plain } from './helpers/ink.js';

const [BEFORE, AFTER] = parseAllMemInfo(readMemInfoFixture('qemu-mps2an385-v1.29pre-two-dumps-before-after-gc.txt'));

test('a painted row shows exactly its letters, coloured by kind', () => {
	assert.ok(BEFORE);
	const letters = BEFORE.areas[0]?.cells.slice(0, 64) ?? '';
	const painted = paintCells(letters, undefined, createPainter(true));
	assert.equal(plain(painted), letters);
	assert.ok(painted.includes(`\u001b[36mT`), 'a tuple in cyan');
	assert.equal(kindStyle('T').color, 'cyan');
	assert.equal(paintCells(letters, undefined, createPainter(false)), letters);
});

test('equal styles share one sequence: a row costs a sequence per run, not per block', () => {
	const painted = paintCells('hhhhhhhh........', undefined, createPainter(true));
	assert.equal(painted.split('\u001b[').length - 1, 4);
});

test('a row without marks, painted by runs of one letter, is the row painted cell by cell', () => {
	// An all-zero marks array takes the cell-by-cell path; no marks at all, the path by letter runs.
	const alphabet = '..==hmTLDSAFBMQqt?~ \u00e9';
	let state = 7;
	const next = () => {
		state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
		return state / 2 ** 32;
	};
	for (const painter of [createPainter(true), createPainter(false)]) {
		for (let round = 0; round < 300; round++) {
			let letters = '';
			while (letters.length < Math.floor(next() * 70)) {
				letters += (alphabet[Math.floor(next() * alphabet.length)] ?? '.').repeat(1 + Math.floor(next() * 5));
			}
			const byCell = paintCells(letters, new Uint8Array(letters.length), painter);
			assert.equal(paintCells(letters, undefined, painter), byCell, JSON.stringify(letters));
		}
	}
	for (const row of BEFORE?.areas[0]?.cells.slice(0, 64 * 40).match(/.{1,64}/g) ?? []) {
		const painter = createPainter(true);
		assert.equal(paintCells(row, undefined, painter), paintCells(row, new Uint8Array(row.length), painter));
	}
});

test('freed, allocated and changed blocks are inverted, in red, green and yellow', () => {
	assert.equal(cellStyle('.', BlockChange.freed)?.inverse, true);
	assert.equal(cellStyle('.', BlockChange.freed)?.fg, 'red');
	assert.equal(cellStyle('h', BlockChange.allocated)?.fg, 'green');
	assert.equal(cellStyle('h', BlockChange.changed)?.fg, 'yellow');
	assert.equal(cellStyle('.', BlockChange.same)?.dim, true);
});

test('row labels are byte offsets in hex, or block numbers when the block size is unknown', () => {
	assert.equal(rowLabel(64, 16, 5), '00400');
	assert.equal(rowLabel(64, undefined, 4), '0040');
});

test('the visible lines are labelled and lettered as in the dump, with diff marks when given', () => {
	assert.ok(BEFORE && AFTER && AFTER.bytesPerBlock);
	const cells = AFTER.areas[0]?.cells ?? '';
	const plan = planMap([{ address: AFTER.areas[0]?.address ?? '', blocks: cells.length }], 32, 1);
	const diff = diffSnapshots(BEFORE, AFTER);
	const lines = paintMapLines({
		snapshot: AFTER,
		plan,
		firstLine: 3,
		lineCount: 4,
		labelDigits: 5,
		marks: [diff.areas[0]?.marks],
		painter: createPainter(false),
	});
	assert.equal(lines.length, 4);
	for (const [index, line] of lines.entries()) {
		const firstBlock = (3 + index) * 32;
		assert.equal(
			plain(line.text),
			`${rowLabel(firstBlock, AFTER.bytesPerBlock, 5)} ${cells.slice(firstBlock, firstBlock + 32)}`,
		);
	}
	assert.ok(
		lines.some((line) => line.text.includes('\u001b[7m')),
		'freed blocks inverted',
	);
});

test('each area of a split heap gets a title line with its number, address and size', () => {
	const [three] = parseAllMemInfo(readMemInfoFixture('webassembly-pyscript-v1.27-three-areas.txt'));
	assert.ok(three?.bytesPerBlock && three.areas.length === 3);
	const plan = planMap(
		three.areas.map((area) => ({ address: area.address, blocks: area.cells.length })),
		32,
		1,
	);
	const lines = paintMapLines({
		snapshot: three,
		plan,
		firstLine: 0,
		lineCount: plan.totalLines,
		labelDigits: 4,
		painter: createPainter(false),
	});
	const titles = lines.filter((line) => line.line.kind === 'title').map((line) => plain(line.text));
	assert.deepEqual(
		titles,
		three.areas.map(
			(area, index) =>
				`area ${index + 1} of 3 · from ${area.address} · ${formatBytes(area.cells.length * (three.bytesPerBlock ?? 0))}`,
		),
	);
});
