import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import { runTui } from '../source/ui/run-tui.js';
import { createFixtureSource } from './helpers/fixture-source.js';
import { until } from './helpers/ink.js';

const TWO_DUMPS = 'qemu-mps2an385-v1.29pre-two-dumps-before-after-gc.txt';

/** A terminal in memory: stdin that takes keys, stdout and stderr that keep what was written. */
function fakeTerminal() {
	const stdin = Object.assign(new EventEmitter(), {
		isTTY: true,
		chunks: [] as string[],
		setRawMode() {},
		setEncoding() {},
		resume() {},
		pause() {},
		ref() {},
		unref() {},
		read(): string | null {
			return stdin.chunks.shift() ?? null;
		},
		press(text: string) {
			stdin.chunks.push(text);
			stdin.emit('readable');
		},
	});
	const out = (columns: number, rows: number) =>
		Object.assign(new EventEmitter(), {
			columns,
			rows,
			isTTY: true,
			text: '',
			write(chunk: string) {
				this.text += chunk;
				return true;
			},
		});
	return { stdin, stdout: out(80, 24), stderr: out(80, 24) };
}

const options = (terminal: ReturnType<typeof fakeTerminal>) => ({
	color: false,
	ascii: false,
	intervalMs: 0,
	stdin: terminal.stdin as unknown as NodeJS.ReadStream,
	stdout: terminal.stdout as unknown as NodeJS.WriteStream,
	stderr: terminal.stderr as unknown as NodeJS.WriteStream,
});

test('q ends the TUI with 0, closes the source, and leaves the alternate screen with the cursor shown', async () => {
	const terminal = fakeTerminal();
	const source = createFixtureSource({ fixture: TWO_DUMPS });
	const running = runTui(source, options(terminal));
	assert.ok(await until(() => terminal.stdout.text.includes('GC')));
	assert.ok(terminal.stdout.text.startsWith('\u001b[?1049h'));
	terminal.stdin.press('q');
	assert.equal(await running, 0);
	assert.ok(source.closed >= 1);
	assert.ok(terminal.stdout.text.endsWith('\u001b[?25h\u001b[?1049l'));
});

test('SIGTERM ends the TUI with 143 and the terminal restored', async () => {
	const terminal = fakeTerminal();
	const source = createFixtureSource({ fixture: TWO_DUMPS });
	const running = runTui(source, options(terminal));
	assert.ok(await until(() => terminal.stdout.text.includes('GC')));
	process.emit('SIGTERM', 'SIGTERM');
	assert.equal(await running, 143);
	assert.ok(source.closed >= 1);
	assert.ok(terminal.stdout.text.endsWith('\u001b[?25h\u001b[?1049l'));
});

test('an error while drawing ends the TUI with 1, says what failed on stderr, and restores the terminal', async () => {
	const terminal = fakeTerminal();
	const source = createFixtureSource({ fixture: TWO_DUMPS });
	source.describe = () => {
		throw new Error('describe broke');
	};
	const code = await runTui(source, options(terminal));
	assert.equal(code, 1);
	assert.ok(terminal.stderr.text.includes('describe broke'));
	assert.ok(terminal.stdout.text.endsWith('\u001b[?25h\u001b[?1049l'));
	assert.ok(source.closed >= 1);
});

test('console output while the TUI runs is held and printed on stderr afterwards', async () => {
	const terminal = fakeTerminal();
	const source = createFixtureSource({ fixture: TWO_DUMPS });
	const running = runTui(source, options(terminal));
	assert.ok(await until(() => terminal.stdout.text.includes('GC')));
	console.log('a stray log line');
	assert.ok(!terminal.stdout.text.includes('a stray log line'));
	terminal.stdin.press('q');
	await running;
	assert.ok(terminal.stderr.text.includes('a stray log line'));
});
