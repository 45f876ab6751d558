import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createPainter } from '../source/present/paint.js';

test('with colour, a style opens its SGR codes and resets after the text', () => {
	const painter = createPainter(true);
	assert.equal(painter.paint('x', { fg: 'green', bold: true }), '\u001b[1;32mx\u001b[0m');
	assert.equal(painter.paint('x', { bg: 'red' }), '\u001b[41mx\u001b[0m');
	assert.equal(painter.paint('x', undefined), 'x');
});

test('without colour, colours and dim are dropped but bold and inverse stay', () => {
	const painter = createPainter(false);
	assert.equal(painter.paint('x', { fg: 'green', dim: true }), 'x');
	assert.equal(painter.paint('x', { fg: 'red', inverse: true, bold: true }), '\u001b[1;7mx\u001b[0m');
});
