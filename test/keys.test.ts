import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Key } from 'ink';
import { commandForKey, KEY_HELP } from '../source/ui/keys.js';

const none: Key = {
	upArrow: false,
	downArrow: false,
	leftArrow: false,
	rightArrow: false,
	pageDown: false,
	pageUp: false,
	home: false,
	end: false,
	return: false,
	escape: false,
	ctrl: false,
	shift: false,
	tab: false,
	backspace: false,
	delete: false,
	meta: false,
	super: false,
	hyper: false,
	capsLock: false,
	numLock: false,
};

test('every key of the issue has a command', () => {
	const expected: Record<string, string> = {
		g: 'collect',
		r: 'refresh',
		' ': 'refresh',
		p: 'pause',
		'+': 'interval',
		'-': 'interval',
		d: 'diff',
		z: 'zoom',
		l: 'legend',
		o: 'log',
		s: 'save',
		'?': 'help',
		q: 'quit',
		n: 'next-step',
		'1': 'choose',
		'9': 'choose',
	};
	for (const [input, type] of Object.entries(expected))
		assert.equal(commandForKey(input, none, false)?.type, type, input);
	assert.deepEqual(commandForKey('3', none, false), { type: 'choose', index: 2 });
	assert.equal(commandForKey('c', { ...none, ctrl: true }, false)?.type, 'quit');
	assert.deepEqual(commandForKey('', { ...none, pageDown: true }, false), { type: 'scroll', by: 'page', delta: 1 });
	assert.deepEqual(commandForKey('', { ...none, end: true }, false), { type: 'scroll-to', to: 'end' });
	assert.equal(commandForKey('x', none, false), undefined);
});

test('while help is open only Esc, ? and quitting act', () => {
	assert.equal(commandForKey('', { ...none, escape: true }, true)?.type, 'close-help');
	assert.equal(commandForKey('?', none, true)?.type, 'close-help');
	assert.equal(commandForKey('q', none, true)?.type, 'quit');
	assert.equal(commandForKey('g', none, true), undefined);
});

test('the help lists every key the table knows', () => {
	const listed = KEY_HELP.map((entry) => entry.keys).join(' ');
	for (const key of [
		'g',
		'space',
		'p',
		'+',
		'-',
		'd',
		'z',
		'l',
		'o',
		's',
		'n',
		'1-9',
		'?',
		'Esc',
		'q',
		'Ctrl-C',
		'PgUp',
		'Home',
	]) {
		assert.ok(listed.includes(key), key);
	}
});
