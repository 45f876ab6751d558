import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogLines } from '../source/ui/state/log-lines.js';

test('lines split anywhere are kept whole, with \\r\\n as one break', () => {
	const log = createLogLines();
	log.push('hel');
	log.push('lo\r');
	log.push('\nwor');
	assert.deepEqual(log.lines(), ['hello', 'wor']);
	log.push('ld\r\n');
	assert.deepEqual(log.lines(), ['hello', 'world']);
});

test('only the last lines are kept', () => {
	const log = createLogLines(3);
	for (let index = 0; index < 10; index++) log.push(`line ${index}\n`);
	assert.deepEqual(log.lines(), ['line 7', 'line 8', 'line 9']);
});
