import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canRunTui, enterFullScreen } from '../source/ui/terminal/terminal.js';

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
