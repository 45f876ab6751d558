import { analyzeSnapshot } from '../../source/heap/analyze.js';
import { parseMemInfo } from '../../source/heap/parse.js';
import { cellsPerRowFor, fitZoom, packCells, planMap } from '../../source/present/map-layout.js';
import { largestFreeHighlight } from '../../source/present/map-marks.js';
import { makeBigDump } from './make-big-dump.js';
import { median, timeMs } from './measure.js';

const text = await makeBigDump();
const snaps = Array.from({ length: 4 }, () => {
	const p = parseMemInfo(text);
	if (!p.ok) throw 0;
	return p.snapshot;
});
const area = snaps[0]!.areas[0]!;
console.log('blocks', area.cells.length, 'areas', snaps[0]!.areas.length);
const cells = cellsPerRowFor(200 - 30 - 4, 7);
const zoom = fitZoom([{ address: '', blocks: area.cells.length }], cells, 40);
console.log('cells', cells, 'zoom', zoom);
const rows = Math.ceil(area.cells.length / (cells * zoom));
console.log(
	'pack',
	median(
		timeMs(() => {
			for (let r = 0; r < rows; r++) packCells(area.cells, r * cells * zoom, cells, zoom);
		}, 10),
	).toFixed(1),
	'ms',
);
let i = 0;
console.log('largestFree', median(timeMs(() => largestFreeHighlight(snaps[i++ % 4]!), 8)).toFixed(1), 'ms');
console.log('analyze', median(timeMs(() => analyzeSnapshot(snaps[i++ % 4]!), 8)).toFixed(1), 'ms');
console.log('parse', median(timeMs(() => parseMemInfo(text), 3)).toFixed(1), 'ms');
