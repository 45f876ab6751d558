import assert from 'node:assert/strict';
import { test } from 'node:test';
import { COMMANDS } from '../source/ui/state/commands.js';
import { keyLabel, parseKeys } from '../source/ui/state/keys.js';
import { commandForKey, helpFor } from '../source/ui/state/reducer.js';
import { initialViewState } from '../source/ui/state/view-state.js';

test('typed characters that arrive together are one key each', () => {
	assert.deepEqual(parseKeys('gzq'), ['g', 'z', 'q']);
	assert.deepEqual(parseKeys(' '), [' ']);
	assert.deepEqual(parseKeys('Z'), ['Z']);
});

test('the escape sequences of xterm, the Linux console and tmux name their keys, F1 and F10 among them', () => {
	const cases: [string, string][] = [
		['\u001b[A', 'up'],
		['\u001b[B', 'down'],
		['\u001bOA', 'up'],
		['\u001b[1;5A', 'up'],
		['\u001b[5~', 'pageup'],
		['\u001b[6~', 'pagedown'],
		['\u001b[H', 'home'],
		['\u001b[F', 'end'],
		['\u001b[1~', 'home'],
		['\u001b[4~', 'end'],
		['\u001bOP', 'f1'],
		['\u001b[11~', 'f1'],
		['\u001b[[A', 'f1'],
		['\u001b[21~', 'f10'],
		['\u001b', 'escape'],
		['\u000c', 'ctrl-l'],
		['\u0003', 'ctrl-c'],
		['\r', 'enter'],
		['\u007f', 'backspace'],
	];
	for (const [sequence, name] of cases) assert.deepEqual(parseKeys(sequence), [name], JSON.stringify(sequence));
	assert.deepEqual(parseKeys('\u001b[Bj\u001b[21~'), ['down', 'j', 'f10']);
	// Alt+key (ESC then a character) is not the character: nothing is bound to it.
	assert.deepEqual(parseKeys('\u001bq'), []);
	// An unknown sequence yields nothing rather than its bytes as keys.
	assert.deepEqual(parseKeys('\u001b[99~'), []);
	assert.deepEqual(['ctrl-l', 'f10', 'pagedown', ' ', 'g'].map(keyLabel), ['Ctrl-L', 'F10', 'PgDn', 'space', 'g']);
});

test('every key of the table gives its command, and the terminal habits are there', () => {
	const view = initialViewState(0);
	const live = (key: string) => commandForKey(key, view, 'live');
	const expected: Record<string, string> = {
		g: 'collect',
		r: 'refresh',
		' ': 'refresh',
		p: 'pause',
		'+': 'interval',
		'-': 'interval',
		d: 'diff',
		z: 'zoom-in',
		Z: 'zoom-out',
		f: 'fit',
		'0': 'actual-size',
		l: 'legend',
		o: 'log',
		s: 'save',
		'?': 'help',
		h: 'help',
		f1: 'help',
		q: 'quit',
		'ctrl-c': 'quit',
		f10: 'quit',
		'ctrl-l': 'repaint',
		j: 'scroll',
		k: 'scroll',
		n: 'next-step',
		'1': 'choose',
		'9': 'choose',
	};
	for (const [key, id] of Object.entries(expected)) assert.equal(live(key)?.id, id, key);
	assert.deepEqual(live('3'), { id: 'choose', arg: 2 });
	assert.deepEqual(live('j'), { id: 'scroll', arg: 1 });
	assert.deepEqual(live('k'), { id: 'scroll', arg: -1 });
	assert.equal(live('x'), undefined);
});

test('while help is open only closing, scrolling, repainting and quitting act', () => {
	const open = { ...initialViewState(0), help: true };
	for (const key of ['escape', '?', 'h', 'f1']) assert.equal(commandForKey(key, open, 'live')?.id, 'help', key);
	for (const key of ['q', 'f10', 'ctrl-c']) assert.equal(commandForKey(key, open, 'live')?.id, 'quit', key);
	for (const key of ['j', 'k', 'pagedown', 'down']) assert.equal(commandForKey(key, open, 'live')?.id, 'scroll', key);
	assert.equal(commandForKey('ctrl-l', open, 'live')?.id, 'repaint');
	assert.equal(commandForKey('g', open, 'live'), undefined);
	assert.equal(commandForKey('z', open, 'live'), undefined);
});

test('in a replay Home and End go to the first and last reading and space plays; live they scroll and read', () => {
	const view = initialViewState(0);
	assert.deepEqual(commandForKey('home', view, 'replay'), { id: 'seek', arg: -1 });
	assert.deepEqual(commandForKey('end', view, 'replay'), { id: 'seek', arg: 1 });
	assert.deepEqual(commandForKey(' ', view, 'replay'), { id: 'play' });
	assert.deepEqual(commandForKey(']', view, 'replay'), { id: 'step', arg: 1 });
	assert.equal(commandForKey('home', view, 'live')?.id, 'scroll');
	assert.equal(commandForKey(' ', view, 'live')?.id, 'refresh');
	assert.deepEqual(commandForKey(']', view, 'live'), { id: 'step', arg: 1 });
});

test('the help names every key bound in its mode, once per line', () => {
	for (const mode of ['live', 'replay'] as const) {
		const lines = helpFor({ mode, demo: true });
		const listed = lines.map((line) => line.keys).join('  ');
		for (const entry of COMMANDS) {
			for (const binding of entry.keys) {
				if ((binding.only !== undefined && binding.only !== mode) || binding.alias) continue;
				// Commands only the demo or only the other mode has are not listed, and say why when pressed.
				const scopes = entry.help.map((line) => line.only);
				if (scopes.length > 0 && scopes.every((scope) => scope !== undefined && scope !== mode && scope !== 'demo'))
					continue;
				if (mode === 'replay' && scopes.length > 0 && scopes.every((scope) => scope === 'demo')) continue;
				const label = /^[1-9]$/.test(binding.key) ? '1-9' : keyLabel(binding.key);
				assert.ok(listed.includes(label), `${mode}: ${entry.id} ${label} in ${listed}`);
			}
		}
		const keys = lines.map((line) => line.keys);
		assert.equal(new Set(keys).size, keys.length, `${mode}: a key line twice`);
	}
});

test('no key is bound to two commands in one mode', () => {
	for (const mode of ['live', 'replay'] as const) {
		const seen = new Map<string, string>();
		for (const entry of COMMANDS) {
			for (const binding of entry.keys) {
				if (binding.only !== undefined && binding.only !== mode) continue;
				const before = seen.get(binding.key);
				assert.ok(before === undefined, `${mode}: ${binding.key} is ${before} and ${entry.id}`);
				seen.set(binding.key, entry.id);
			}
		}
	}
});

test('the help of a replay lists stepping and playing, and not collecting; a live source the reverse', () => {
	const keysOf = (mode: 'live' | 'replay', demo: boolean) => helpFor({ mode, demo }).map((line) => line.keys);
	const replay = keysOf('replay', false);
	for (const key of ['[  ]', 'Home  End', 'space', 'd', 's']) assert.ok(replay.includes(key), key);
	for (const key of ['g', 'r  space', 'p', 'i', 'b', 'n', '1-9']) assert.ok(!replay.includes(key), key);
	assert.ok(!keysOf('replay', true).includes('n'), 'no scenario steps in a replay');
	const live = keysOf('live', false);
	for (const key of ['[  ]', 'Home  End', 'space', 'n']) assert.ok(!live.includes(key), key);
	assert.ok(keysOf('live', true).includes('n'));
});
