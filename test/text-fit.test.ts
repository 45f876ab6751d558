import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createPainter } from '../source/present/paint.js';
import { flowItems, padVisible, spread, truncate, visibleLength } from '../source/present/text-fit.js';
import { plain } from './helpers/ink.js';

const painter = createPainter(true);

test('colour sequences take no columns', () => {
	const painted = painter.paint('hello', { fg: 'green', bold: true });
	assert.notEqual(painted.length, 5);
	assert.equal(visibleLength(painted), 5);
	assert.equal(visibleLength(padVisible(painted, 9)), 9);
});

test('truncate ends a cut text with the ellipsis and keeps a text that fits', () => {
	assert.equal(truncate('abcdef', 4), 'abc…');
	assert.equal(truncate('abcdef', 4, '...'), 'a...');
	assert.equal(truncate('abc', 4), 'abc');
	assert.equal(truncate('abc', 0), '');
});

test('spread puts the value at the right edge of exactly the width', () => {
	const line = spread('used', '34,048 B', 20);
	assert.equal(line.length, 20);
	assert.ok(line.startsWith('used') && line.endsWith('34,048 B'));
	assert.equal(spread('a very long label indeed', '1 B', 12).length, 12);
});

test('flowItems never splits an item and never passes the width', () => {
	const items = ['. free', 'h other 12', '= tail', 'T tuple 3', 'L list 100'].map((text) => ({
		text: painter.paint(text, { fg: 'cyan' }),
		width: text.length,
	}));
	const lines = flowItems(items, 24);
	assert.ok(lines.length > 1);
	for (const line of lines) assert.ok(visibleLength(line) <= 24);
	assert.equal(plain(lines.join('  ')), items.map((item) => plain(item.text)).join('  '));
});
