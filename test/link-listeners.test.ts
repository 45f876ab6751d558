import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PortError } from '../source/link/link.js';
import { createLinkListeners } from '../source/link/listeners.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (chunk: Uint8Array) => new TextDecoder().decode(chunk);

test('what arrives before anyone listens is kept for the first data listener, and only for it', () => {
	const listeners = createLinkListeners(16);
	listeners.emitData(bytes('>>> '));
	const first: string[] = [];
	const second: string[] = [];
	listeners.onData((chunk) => first.push(text(chunk)));
	listeners.onData((chunk) => second.push(text(chunk)));
	listeners.emitData(bytes('next'));
	assert.deepEqual(first, ['>>> ', 'next']);
	assert.deepEqual(second, ['next']);
});

test('early bytes beyond the bound are dropped, as a full FIFO drops them; a link that keeps none drops all', () => {
	const bounded = createLinkListeners(6);
	bounded.emitData(bytes('abcd'));
	bounded.emitData(bytes('efgh'));
	bounded.emitData(bytes('ij'));
	const heard: string[] = [];
	bounded.onData((chunk) => heard.push(text(chunk)));
	assert.deepEqual(heard, ['abcd', 'ij']);

	const none = createLinkListeners(0);
	none.emitData(bytes('lost'));
	const late: string[] = [];
	none.onData((chunk) => late.push(text(chunk)));
	assert.deepEqual(late, []);
});

test('a kept chunk is a copy: the sender may reuse its buffer', () => {
	const listeners = createLinkListeners(16);
	const buffer = bytes('abc');
	listeners.emitData(buffer);
	buffer.fill(0x78);
	const heard: string[] = [];
	listeners.onData((chunk) => heard.push(text(chunk)));
	assert.deepEqual(heard, ['abc']);
});

test('a listener may unsubscribe while it is told, and the others are still told', () => {
	const listeners = createLinkListeners(0);
	const heard: string[] = [];
	const stop = listeners.onData(() => {
		heard.push('first');
		stop();
	});
	listeners.onData(() => heard.push('second'));
	listeners.emitData(bytes('x'));
	listeners.emitData(bytes('y'));
	assert.deepEqual(heard, ['first', 'second', 'second']);
});

test('close listeners hear why, and clear forgets every listener and what was kept', () => {
	const listeners = createLinkListeners(16);
	const why: (PortError | undefined)[] = [];
	listeners.onClose((error) => why.push(error));
	const error = new PortError('closed', 'socket://x:1', 'socket://x:1: the connection was closed');
	listeners.emitClose(error);
	assert.deepEqual(why, [error]);

	listeners.emitData(bytes('kept'));
	listeners.clear();
	const heard: string[] = [];
	listeners.onData((chunk) => heard.push(text(chunk)));
	listeners.emitClose(error);
	assert.deepEqual(heard, []);
	assert.equal(why.length, 1);
});
