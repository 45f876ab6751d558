import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSize } from '../source/commands/parse-size.js';

test('sizes read as MicroPython users write them: k and m are 1,024 and 1,048,576', () => {
	assert.deepEqual(parseSize('10k', '--fit'), { ok: true, bytes: 10_240 });
	assert.deepEqual(parseSize('10240', '--fit'), { ok: true, bytes: 10_240 });
	assert.deepEqual(parseSize('10KB', '--fit'), { ok: true, bytes: 10_240 });
	assert.deepEqual(parseSize('1.5k', '--fit'), { ok: true, bytes: 1536 });
	assert.deepEqual(parseSize('1m', '--fit'), { ok: true, bytes: 1_048_576 });
	assert.deepEqual(parseSize(' 100 ', '--fit'), { ok: true, bytes: 100 });
	assert.deepEqual(parseSize('0.1', '--fit'), { ok: true, bytes: 1 });
});

test('what is not a size is one line naming the flag', () => {
	for (const text of ['', 'ten', '-5', '10 q', '1e3', '99999999999999999999']) {
		const result = parseSize(text, '--fit');
		assert.equal(result.ok, false, text);
		assert.match(result.ok ? '' : result.message, /^--fit /);
	}
	assert.equal(parseSize('0', '--fit').ok, false);
});
