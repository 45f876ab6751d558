import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BlockChange } from '../source/heap/diff.js';
import { paintCells } from '../source/present/map-rows.js';
import { createPainter } from '../source/present/paint.js';
import { freshWireState, lineUpdate } from '../source/ui/terminal/line-diff.js';
import { seededRandom } from './helpers/random-maps.js';
import { createTerminalModel } from './helpers/terminal-model.js';

const painter = createPainter(true);
const letters = 'hhhh==..TLDSAB';

/** A painted map row of random letters, some cells marked as the diff marks them (inverse, dim). */
function randomRow(random: () => number, width: number, base?: string): { letters: string; line: string } {
	const chars = base ? [...base] : Array.from({ length: width }, () => letters[Math.floor(random() * letters.length)]);
	if (base) {
		const changes = Math.floor(random() * 8);
		for (let change = 0; change < changes; change++) {
			const at = Math.floor(random() * chars.length);
			const length = 1 + Math.floor(random() * 6);
			for (let index = at; index < Math.min(chars.length, at + length); index++)
				chars[index] = letters[Math.floor(random() * letters.length)] ?? '.';
		}
	}
	const text = chars.join('').slice(0, width);
	const marks = new Uint8Array(text.length);
	const kinds = [BlockChange.same, BlockChange.same, BlockChange.same, BlockChange.freed, BlockChange.allocated];
	for (let index = 0; index < marks.length; index++) marks[index] = kinds[Math.floor(random() * kinds.length)] ?? 0;
	return {
		letters: text,
		line: `\u001b[90m00a0\u001b[0m ${paintCells(text, random() < 0.5 ? marks : undefined, painter)}`,
	};
}

test('frames of changed rows, sent as changed runs with the state carried between rows, look as drawn whole', () => {
	const random = seededRandom(13);
	const columns = 120;
	const rows = 6;
	for (let round = 0; round < 200; round++) {
		// Ink's lines are never wider than the terminal: the label takes 5 columns.
		const width = 20 + Math.floor(random() * 95);
		const before = Array.from({ length: rows }, () => randomRow(random, width));
		const after = before.map((row) => {
			// Sometimes shorter or longer, as a row at the end of the map is; sometimes the same.
			const cut = random() < 0.2 ? Math.floor(random() * width) : random() < 0.2 ? columns - 5 : width;
			return random() < 0.2 ? row : randomRow(random, cut, `${row.letters}Lhh==..TTTT`.repeat(3).slice(0, cut));
		});
		const terminal = createTerminalModel(columns, rows);
		let state = freshWireState();
		for (const [row, line] of before.entries()) terminal.write(lineUpdate(row, undefined, line.line, columns, state));
		terminal.write('\u001b[m');
		state = freshWireState();
		let update = '';
		for (const [row, line] of after.entries()) update += lineUpdate(row, before[row]?.line, line.line, columns, state);
		update += state.style === '' ? '' : '\u001b[m';
		terminal.write(update);
		const whole = createTerminalModel(columns, rows);
		for (const [row, line] of after.entries()) whole.write(lineUpdate(row, undefined, line.line, columns));
		assert.deepEqual(terminal.screen(), whole.screen(), `round ${round}`);
		assert.ok(terminal.plainNow());
	}
});

test('one cell changed in a map row costs a cursor move and that cell, not the row', () => {
	const before = `\u001b[90m0400\u001b[0m ${paintCells('hhh==.....TT==LL..DDDDSSSSS.....AAAA', undefined, painter)}`;
	const after = `\u001b[90m0400\u001b[0m ${paintCells('hhh==.....TT==LL..DDDDSSSLS.....AAAA', undefined, painter)}`;
	const update = lineUpdate(4, before, after, 80);
	assert.ok(update.length < 20, `${JSON.stringify(update)} is ${update.length} bytes`);
	assert.ok(update.startsWith('\u001b[5;31H'), 'a move to the changed column');
	assert.equal(lineUpdate(4, after, after, 80), '');
});

test('a change of style sends only what differs, and a run does not end in a reset', () => {
	// White letters, then inverse red (the diff's freed mark), then white again: no reset in between.
	const before = `\u001b[37mhhhhhhhhhhhh\u001b[0m`;
	const after = `\u001b[37mhh\u001b[0m\u001b[7;31mhh..h\u001b[0m\u001b[37mHhhhh\u001b[0m`;
	const state = freshWireState();
	const update = lineUpdate(0, before, after, 80, state);
	assert.equal(update, '\u001b[1;3H\u001b[7;31mhh..h\u001b[0;37mH');
	assert.equal(state.style, '37', 'the style in force is carried to the next row');
	assert.equal(state.column, 8);
});

test('a second run on the same row is reached by the shorter relative move, or by sending a short gap', () => {
	const before = 'abcdefghij'.repeat(12);
	const far = `${before.slice(0, 100)}X${before.slice(101, 120)}`.replace(/j$/, 'J');
	assert.equal(lineUpdate(0, before, far, 140), '\u001b[1;101HX\u001b[18CJ');
	const near = before.replace('c', 'C').replace('f', 'F');
	assert.equal(lineUpdate(0, before, near, 80), '\u001b[1;3HCdeF');
});

test('a line whose columns cannot be counted (wide or combining characters) is sent whole', () => {
	const update = lineUpdate(0, 'board 漢字 one', 'board 漢字 two', 80);
	assert.ok(update.includes('board 漢字 two'));
	assert.ok(update.endsWith('\u001b[K'));
});

test('the erase after a shortened line runs with no background or inverse in force', () => {
	const before = 'abcdefghij';
	const after = 'abc\u001b[7mXY\u001b[0m';
	const terminal = createTerminalModel(20, 1);
	terminal.write(before);
	const state = freshWireState();
	terminal.write(lineUpdate(0, before, after, 20, state));
	assert.deepEqual(terminal.screen(), [`abc[r]XY[]${' '.repeat(15)}`]);
});
