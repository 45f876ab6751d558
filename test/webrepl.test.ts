import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { asciiBytes, latin1Text } from '../source/protocol/bytes.js';
import {
	connectedBanner,
	createWebreplGate,
	createWebreplLogin,
	deniedBanner,
	passwordLine,
	passwordPrompt,
} from '../source/protocol/webrepl.js';

/** The client and the board's gate talking through frames of `size` bytes; what the client ends with. */
function login(password: string, typed: string, size: number) {
	const client = createWebreplLogin();
	const gate = createWebreplGate(password);
	const frames = (text: string | Uint8Array) => {
		const bytes = typeof text === 'string' ? asciiBytes(text) : text;
		const parts: Uint8Array[] = [];
		for (let at = 0; at < bytes.length; at += size) parts.push(bytes.subarray(at, at + size));
		return parts;
	};
	let asked = false;
	for (const frame of frames(passwordPrompt)) asked = client.push(frame).sendPassword || asked;
	assert.ok(asked, 'the client is asked for its password');
	let verdict = 'pending';
	for (const frame of frames(passwordLine(typed))) {
		const step = gate.push(frame);
		if (step.verdict !== 'pending') verdict = step.verdict;
	}
	const answer = verdict === 'accepted' ? connectedBanner : deniedBanner;
	let last = client.push(new Uint8Array(0));
	let data = '';
	for (const frame of frames(answer)) {
		const step = client.push(frame);
		if (step.state !== 'waiting') {
			last = step;
			data = latin1Text(step.data);
			break;
		}
	}
	return { verdict, state: last.state, data };
}

describe('WebREPL login', () => {
	for (const size of [1, 3, 100]) {
		test(`the right password connects, the board's >>> left as REPL data (frames of ${size})`, () => {
			const result = login('micro', 'micro', size);
			assert.equal(result.verdict, 'accepted');
			assert.equal(result.state, 'connected');
			if (size === 100) assert.equal(result.data, '>>> ');
		});
		test(`a wrong password is denied (frames of ${size})`, () => {
			const result = login('micro', 'macro', size);
			assert.equal(result.verdict, 'denied');
			assert.equal(result.state, 'denied');
		});
	}

	test('a password longer than the board keeps never matches, a prefix neither', () => {
		assert.equal(login('abcdefghi', 'abcdefghij', 4).verdict, 'denied');
		assert.equal(login('abcdefghi', 'abcd', 4).verdict, 'denied');
		assert.equal(login('abcdefghi', 'abcdefghi', 4).verdict, 'accepted');
	});

	test('the gate hands on what the client sent after its line end', () => {
		const step = createWebreplGate('pw').push(asciiBytes('pw\r\x01'));
		assert.equal(step.verdict, 'accepted');
		assert.ok(step.verdict === 'accepted' && latin1Text(step.rest) === '\x01');
	});

	test('a server that is not a WebREPL never asks, whatever it sends, and memory stays bounded', () => {
		const client = createWebreplLogin();
		const page = asciiBytes('<html>'.padEnd(200_000, 'x'));
		const step = client.push(page);
		assert.equal(step.sendPassword, false);
		assert.equal(step.state, 'waiting');
	});
});
