import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Key } from 'ink';
import { commandForKey, KEY_HELP, keyHelpFor } from '../source/ui/state/keys.js';

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

test('in a replay Home and End go to the first and last reading, space plays, and the map keeps the rest', () => {
	const replay = (input: string, key: Partial<Key> = {}) => commandForKey(input, { ...none, ...key }, false, 'replay');
	assert.deepEqual(replay('', { home: true }), { type: 'seek', to: 'first' });
	assert.deepEqual(replay('', { end: true }), { type: 'seek', to: 'last' });
	assert.deepEqual(replay(' '), { type: 'play' });
	assert.deepEqual(replay('['), { type: 'step', delta: -1 });
	assert.deepEqual(replay(']'), { type: 'step', delta: 1 });
	assert.deepEqual(replay('', { pageUp: true }), { type: 'scroll', by: 'page', delta: -1 });
	assert.deepEqual(replay('', { downArrow: true }), { type: 'scroll', by: 'line', delta: 1 });
	assert.equal(commandForKey('', { ...none, home: true }, true, 'replay'), undefined, 'help open');
	// Live, they keep their meanings; the brackets still reach the App, which says there is nothing to step.
	assert.deepEqual(commandForKey('', { ...none, home: true }, false), { type: 'scroll-to', to: 'home' });
	assert.equal(commandForKey(' ', none, false)?.type, 'refresh');
	assert.deepEqual(commandForKey(']', none, false), { type: 'step', delta: 1 });
});

test('the help of a replay lists stepping and playing, and not collecting; a live source the reverse', () => {
	const keysOf = (mode: 'live' | 'replay', demo: boolean) => keyHelpFor({ mode, demo }).map((entry) => entry.keys);
	const replay = keysOf('replay', false);
	for (const key of ['[  ]', 'Home  End', 'space', 'd', 'z', '↑ ↓ PgUp PgDn', 's', '?  Esc', 'q  Ctrl-C'])
		assert.ok(replay.includes(key), key);
	for (const key of ['g', 'r  space', 'p', 'i', 'b', 'n', '1-9', '↑ ↓ PgUp PgDn Home End'])
		assert.ok(!replay.includes(key), key);
	assert.ok(!keysOf('replay', true).includes('n'), 'no scenario steps in a replay');
	const live = keysOf('live', false);
	for (const key of ['[  ]', 'Home  End', 'space', 'n']) assert.ok(!live.includes(key), key);
	assert.ok(live.includes('g') && live.includes('↑ ↓ PgUp PgDn Home End'));
	assert.ok(keysOf('live', true).includes('n'));
	// Each key once per mode: the help never says two things about one key.
	for (const list of [replay, live]) assert.equal(new Set(list).size, list.length);
});
