import { type CellSegment, Cells } from '../../source/heap/cells.js';
import type { HeapArea, HeapSnapshot } from '../../source/heap/model.js';
import { parseMemInfo } from '../../source/heap/parse.js';
import { scanCells } from '../../source/heap/scan-cells.js';
import { memInfoFixtures } from './fixtures.js';

/** A small deterministic generator (mulberry32), so that a failing random map can be found again by its seed. */
export function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let mixed = state;
		mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
		mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
		return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
	};
}

const LETTERS = 'hTLDSAFBM';

/**
 * A random map of `blocks` cells: free runs and objects (a head letter and tails) of random lengths, now and
 * then tails with no head (a damaged map), so the analyses meet every kind of run.
 */
export function randomCells(random: () => number, blocks: number): string {
	let cells = '';
	while (cells.length < blocks) {
		const pick = random();
		const length = 1 + Math.floor(random() ** 2 * 12);
		if (pick < 0.4) cells += '.'.repeat(length);
		else if (pick < 0.97) cells += (LETTERS[Math.floor(random() * LETTERS.length)] ?? 'h') + '='.repeat(length - 1);
		else cells += '='.repeat(length);
	}
	return cells.slice(0, blocks);
}

/**
 * The cells as a parsed map holds them: printed text, with each free run of 8 blocks or more kept as one
 * repeated run, as an elided `(N lines all free)` is, so the analyses meet both kinds of segment.
 */
function asSegments(cells: string): Cells {
	const segments: CellSegment[] = [];
	for (const piece of cells.split(/(\.{8,})/)) {
		if (piece === '') continue;
		segments.push(piece.startsWith('........') ? { code: 0x2e, count: piece.length } : { text: piece });
	}
	return new Cells(segments);
}

/** The whole map of an area as one string: fine for the small maps of tests. */
export function cellText(area: HeapArea): string {
	return area.cells.slice(0, area.cells.length);
}

/** A snapshot around some areas' cells, with the figures the firmware would print for them. */
export function snapshotOfCells(cellsByArea: readonly string[], bytesPerBlock = 16): HeapSnapshot {
	const areas: HeapArea[] = cellsByArea.map((cells, index) => ({
		address: (0x20000000 + index * 0x10000).toString(16),
		cells: asSegments(cells),
	}));
	// Built from whole maps, so the map covers the heap as a parsed complete dump's does.
	const map = { ...scanCells(areas), complete: true };
	return {
		gc: {
			totalBytes: map.blocks * bytesPerBlock,
			usedBytes: map.usedBlocks * bytesPerBlock,
			freeBytes: map.freeBlocks * bytesPerBlock,
		},
		counts: {
			oneBlock: map.oneBlock,
			twoBlock: map.twoBlock,
			maxBlockBlocks: map.maxBlockBlocks,
			maxFreeBlocks: map.maxFreeBlocks,
		},
		areas,
		map,
		bytesPerBlock,
		warnings: [],
		text: '',
	};
}

/** A random snapshot of one to three areas of up to `maxBlocks` cells each. */
export function randomSnapshot(random: () => number, maxBlocks = 200): HeapSnapshot {
	const areaCount = 1 + Math.floor(random() * 3);
	const cells = Array.from({ length: areaCount }, () => randomCells(random, 1 + Math.floor(random() * maxBlocks)));
	return snapshotOfCells(cells);
}

/** Every snapshot of every fixture that has a block map, named after its file and its place in it. */
export function fixtureSnapshotsWithMaps(): { name: string; snapshot: HeapSnapshot }[] {
	const found: { name: string; snapshot: HeapSnapshot }[] = [];
	for (const { name, text } of memInfoFixtures()) {
		const result = parseMemInfo(text);
		if (result.ok && result.snapshot.areas.length > 0) found.push({ name, snapshot: result.snapshot });
	}
	return found;
}

/** One object on a map, found by walking its cells: the reference the analyses are checked against. */
export type CellObject = { area: number; block: number; blocks: number; kind: string };

/** Every allocated object of a snapshot, by walking the cells one by one (tails without a head count as one). */
export function objectsByCells(snapshot: HeapSnapshot): CellObject[] {
	const objects: CellObject[] = [];
	snapshot.areas.forEach((area, index) => {
		const cells = cellText(area);
		for (let block = 0; block < cells.length; block++) {
			const cell = cells[block];
			if (cell === '.') continue;
			const startsObject = cell !== '=' || block === 0 || cells[block - 1] === '.';
			const current = objects[objects.length - 1];
			if (startsObject || !current) objects.push({ area: index, block, blocks: 1, kind: cell ?? '?' });
			else current.blocks++;
		}
	});
	return objects;
}

/** The longest run of `.` in one string of cells. */
export function longestFreeRun(cells: string): number {
	let longest = 0;
	let run = 0;
	for (const cell of cells) {
		run = cell === '.' ? run + 1 : 0;
		if (run > longest) longest = run;
	}
	return longest;
}
