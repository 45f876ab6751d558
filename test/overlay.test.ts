import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createPainter } from '../source/present/paint.js';
import { composeOverlay, splitAtColumn } from '../source/ui/layout/overlay.js';
import { plain } from './helpers/ink.js';

const painter = createPainter(true);

test('a split keeps the colour sequences with the character they precede', () => {
	const line = `${painter.paint('│', { fg: 'gray' })}  ${painter.paint('│', { fg: 'gray' })}x`;
	for (let column = 0; column <= 5; column++) {
		const [before, after] = splitAtColumn(line, column);
		assert.equal(before + after, line);
		assert.equal(plain(before).length, column);
	}
	const [, after] = splitAtColumn(line, 3);
	assert.ok(after.startsWith('\u001b[90m│'));
});

test('composing puts each overlay line at its row and column and keeps the rest of the line', () => {
	const frame = [`${painter.paint('│', { fg: 'gray' })}        ${painter.paint('│', { fg: 'gray' })} GC`, 'next'];
	const [line] = composeOverlay(frame, {
		row: 0,
		column: 2,
		width: 6,
		lines: [painter.paint('hh..', { fg: 'white' })],
	});
	assert.equal(plain(line), '│ hh..   │ GC');
	assert.deepEqual(composeOverlay(frame, undefined), frame);
	assert.deepEqual(composeOverlay(frame, { row: 5, column: 0, width: 2, lines: ['xx'] }), frame);
});

test('a line shorter than the overlay’s column is padded to it', () => {
	const [line] = composeOverlay(['ab'], { row: 0, column: 4, width: 2, lines: ['xy'] });
	assert.equal(plain(line), 'ab  xy');
});
