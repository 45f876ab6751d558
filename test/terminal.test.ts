import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canRunTui, enterFullScreen, localeIsUtf8 } from '../source/ui/terminal/terminal.js';

test('entering switches to the alternate screen and hides the cursor; restoring undoes both, once', () => {
	const written: string[] = [];
	const rawModes: boolean[] = [];
	const guard = enterFullScreen(
		{ write: (text: string) => written.push(text) },
		{ isTTY: true, setRawMode: (mode: boolean) => rawModes.push(mode) },
	);
	assert.ok(written.join('').includes('\u001b[?1049h'));
	assert.ok(written.join('').includes('\u001b[?25l'));
	written.length = 0;
	guard.restore();
	guard.restore();
	assert.equal(written.join(''), '\u001b[?25h\u001b[?1049l');
	assert.deepEqual(rawModes, [false]);
	assert.ok(guard.restored);
});

test('the process exit listener is removed once restored', () => {
	const before = process.listenerCount('exit');
	const guard = enterFullScreen({ write: () => true });
	assert.equal(process.listenerCount('exit'), before + 1);
	guard.restore();
	assert.equal(process.listenerCount('exit'), before);
});

test('the TUI needs both stdin and stdout to be terminals', () => {
	assert.equal(canRunTui({ isTTY: true }, { isTTY: true }), true);
	assert.equal(canRunTui({ isTTY: false }, { isTTY: true }), false);
	assert.equal(canRunTui({ isTTY: true }, {}), false);
});

test('TERM=dumb gets no full screen, and a locale that is not UTF-8 (or none at all) is told apart from one that is', () => {
	const tty = { isTTY: true };
	assert.equal(canRunTui(tty, tty, { TERM: 'xterm-256color' }), true);
	assert.equal(canRunTui(tty, tty, { TERM: 'dumb' }), false);
	assert.equal(localeIsUtf8({ LANG: 'en_US.UTF-8' }), true);
	assert.equal(localeIsUtf8({ LANG: 'C.utf8' }), true);
	assert.equal(localeIsUtf8({ LANG: 'C' }), false);
	assert.equal(localeIsUtf8({}), false, 'no locale is the C locale');
	// LC_ALL wins over LANG, LC_CTYPE over LANG, as in the C library.
	assert.equal(localeIsUtf8({ LC_ALL: 'C', LANG: 'en_US.UTF-8' }), false);
	assert.equal(localeIsUtf8({ LC_CTYPE: 'en_US.UTF-8', LANG: 'C' }), true);
	assert.equal(localeIsUtf8({ LC_ALL: '', LANG: 'de_DE.UTF-8' }), true);
});
