import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { guardOutput, unguarded } from '../source/output/terminal-edge.js';
import { MARK } from '../source/protocol/sanitize.js';

function collected(stream: PassThrough): () => string {
	const chunks: Buffer[] = [];
	stream.on('data', (chunk: Buffer) => chunks.push(chunk));
	return () => Buffer.concat(chunks).toString('utf8');
}

test('a guarded stream lets colour through and marks every other sequence, strings and bytes alike', async () => {
	const stream = new PassThrough();
	const read = collected(stream);
	guardOutput(stream);
	guardOutput(stream);
	stream.write('\x1b[31mred\x1b[0m \x1b]0;title\x07|');
	stream.write(Buffer.from('\u202Ex \x1b[2J|'));
	// A character split across two writes is judged whole.
	const snake = Buffer.from('🐍');
	stream.write(snake.subarray(0, 2));
	stream.write(snake.subarray(2));
	unguarded(stream).write('\x1b[?1049h');
	stream.end();
	await new Promise((resolve) => stream.on('end', resolve));
	assert.equal(read(), `\x1b[31mred\x1b[0m ${MARK}|${MARK}x ${MARK}|🐍\x1b[?1049h`);
});

test('unguarded on a stream that was never guarded is the stream itself', () => {
	const stream = new PassThrough();
	assert.equal(unguarded(stream), stream);
});
