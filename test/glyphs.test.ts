import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toAscii } from '../source/present/ascii.js';
import { glyphsFor } from '../source/ui/text/glyphs.js';

test('the --ascii glyphs are all ASCII, the others are not', () => {
	const isAscii = (text: string) => [...text].every((character) => character.charCodeAt(0) < 0x80);
	const flat = (asciiOnly: boolean) => Object.values(glyphsFor(asciiOnly)).flat().join('');
	assert.ok(isAscii(flat(true)));
	assert.ok(!isAscii(flat(false)));
	assert.equal(glyphsFor(true).spark.length, glyphsFor(false).spark.length);
});

test('text from a source is made ASCII with stand-ins for the usual signs', () => {
	assert.equal(toAscii('board · v1.22 … 60×16'), 'board - v1.22 ... 60x16');
	assert.equal(toAscii('plain'), 'plain');
	assert.equal(toAscii('ünicode'), '?nicode');
});
