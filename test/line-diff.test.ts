import assert from 'node:assert/strict';
import { test } from 'node:test';
import { paintCells } from '../source/present/map-rows.js';
import { createPainter } from '../source/present/paint.js';
import { lineUpdate } from '../source/ui/terminal/line-diff.js';
import { seededRandom } from './helpers/random-maps.js';

/**
 * A terminal row as a terminal keeps it: each column's character and the SGR sequences in force when it was
 * written (since the last reset). Understands what the frame writer sends: cursor moves, erase to the end, SGR.
 */
function applyToRow(row: { text: string; style: string }[], update: string, columns: number): void {
	let column = 0;
	let style = '';
	for (let index = 0; index < update.length; index++) {
		if (update[index] === '\u001b') {
			let end = index + 2;
			while (end < update.length && !/[A-Za-z]/.test(update[end] ?? '')) end++;
			const body = update.slice(index + 2, end);
			const final = update[end];
			if (final === 'H') column = Number(body.split(';')[1] ?? '1') - 1;
			else if (final === 'K') for (let at = column; at < columns; at++) row[at] = { text: ' ', style: '' };
			else if (final === 'm') style = body === '0' || body === '' ? '' : `${style}\u001b[${body}m`;
			index = end;
			continue;
		}
		row[column] = { text: update[index] ?? ' ', style };
		column++;
	}
}

/** What a painted line looks like on the terminal: the same model, written from column 0 on a blank row. */
function looks(line: string, columns: number): string {
	const row = Array.from({ length: columns }, () => ({ text: ' ', style: '' }));
	applyToRow(row, `\u001b[1;1H${line}`, columns);
	return render(row);
}

const render = (row: { text: string; style: string }[]) =>
	row.map((cell) => (cell.text === ' ' && cell.style === '' ? ' ' : `${cell.style}${cell.text}`)).join('');

test('a changed line, sent as its changed runs, looks on the terminal as the new line sent whole', () => {
	const random = seededRandom(13);
	const painter = createPainter(true);
	const columns = 120;
	const letters = 'hhhh==..TLDSAB';
	for (let round = 0; round < 300; round++) {
		const width = 20 + Math.floor(random() * 90);
		const before = Array.from({ length: width }, () => letters[Math.floor(random() * letters.length)]).join('');
		const chars = [...before];
		const changes = Math.floor(random() * 6);
		for (let change = 0; change < changes; change++) {
			chars[Math.floor(random() * width)] = letters[Math.floor(random() * letters.length)] ?? '.';
		}
		// Sometimes shorter or longer, as a row at the end of the map is.
		const cut = random() < 0.2 ? Math.floor(random() * width) : width + (random() < 0.2 ? 7 : 0);
		const after = (chars.join('') + 'Lhh==..'.slice(0, Math.max(0, cut - width))).slice(0, cut);
		const beforeLine = `\u001b[90m00a0\u001b[0m ${paintCells(before, undefined, painter)}`;
		const afterLine = `\u001b[90m00a0\u001b[0m ${paintCells(after, undefined, painter)}`;
		const row = Array.from({ length: columns }, () => ({ text: ' ', style: '' }));
		applyToRow(row, `\u001b[1;1H${beforeLine}`, columns);
		const update = lineUpdate(0, beforeLine, afterLine, columns);
		applyToRow(row, update, columns);
		assert.equal(render(row), looks(afterLine, columns), `round ${round}: ${before} -> ${after}`);
		assert.ok(update.length <= lineUpdate(0, undefined, afterLine, columns).length + 16, 'never much more than whole');
	}
});

test('one cell changed in a map row costs a cursor move and that cell, not the row', () => {
	const painter = createPainter(true);
	const before = `\u001b[90m0400\u001b[0m ${paintCells('hhh==.....TT==LL..DDDDSSSSS.....AAAA', undefined, painter)}`;
	const after = `\u001b[90m0400\u001b[0m ${paintCells('hhh==.....TT==LL..DDDDSSSLS.....AAAA', undefined, painter)}`;
	const update = lineUpdate(4, before, after, 80);
	assert.ok(update.length < 24, `${JSON.stringify(update)} is ${update.length} bytes`);
	assert.ok(update.startsWith('\u001b[5;31H'), 'a move to the changed column');
	assert.equal(lineUpdate(4, after, after, 80), '');
});

test('a line whose columns cannot be counted (wide or combining characters) is sent whole', () => {
	const update = lineUpdate(0, 'board 漢字 one', 'board 漢字 two', 80);
	assert.ok(update.includes('board 漢字 two'));
	assert.ok(update.endsWith('\u001b[K'));
});
