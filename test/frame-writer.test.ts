import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import { paintCells } from '../source/present/map-rows.js';
import { createPainter } from '../source/present/paint.js';
import { createFrameWriter, type FrameClock, type TerminalStream } from '../source/ui/terminal/frame-writer.js';
import { plain } from './helpers/ink.js';
import { seededRandom } from './helpers/random-maps.js';
import { createTerminalModel } from './helpers/terminal-model.js';

function fakeTerminal(columns = 20, rows = 5) {
	const written: string[] = [];
	const terminal = Object.assign(new EventEmitter(), {
		columns,
		rows,
		isTTY: true,
		write(text: string) {
			written.push(text);
			return true;
		},
	});
	return { terminal: terminal as unknown as TerminalStream & EventEmitter, written };
}

/** A clock that moves only when told: `advance` runs the timers that fall due, in order. */
function manualClock(): FrameClock & { advance(ms: number): void } {
	let nowMs = 1_000_000;
	let nextId = 0;
	const timers = new Map<number, { atMs: number; callback: () => void }>();
	return {
		now: () => nowMs,
		setTimeout(callback, ms) {
			const id = nextId++;
			timers.set(id, { atMs: nowMs + ms, callback });
			return id;
		},
		clearTimeout(handle) {
			timers.delete(handle as number);
		},
		advance(ms) {
			const until = nowMs + ms;
			for (;;) {
				const due = [...timers].filter(([, timer]) => timer.atMs <= until).sort((a, b) => a[1].atMs - b[1].atMs)[0];
				if (!due) break;
				timers.delete(due[0]);
				nowMs = Math.max(nowMs, due[1].atMs);
				due[1].callback();
			}
			nowMs = until;
		},
	};
}

/** The rows a write moved the cursor to (1-based) with an absolute move (CUP, any short form), each once, in order. */
function rowsTouched(text: string): number[] {
	// biome-ignore lint/suspicious/noControlCharactersInRegex: cursor moves start with the escape character.
	const moves = [...text.matchAll(/\u001b\[(\d*)(?:;\d+)?H/g)].map((match) => Number(match[1] || '1'));
	return [...new Set(moves)];
}

test('the first frame draws every line, each with an absolute move', () => {
	const { terminal, written } = fakeTerminal();
	const clock = manualClock();
	const writer = createFrameWriter(terminal, { maxFps: 1000, clock });
	writer.stream.write('one\ntwo\nthree');
	writer.stop();
	assert.deepEqual(rowsTouched(written.join('')), [1, 2, 3]);
	writer.stream.write('after stop');
	assert.ok(!written.join('').includes('after stop'));
});

test('an unchanged frame writes nothing, and a changed line is erased to its end only when short', () => {
	const { terminal, written } = fakeTerminal(5, 3);
	const clock = manualClock();
	const writer = createFrameWriter(terminal, { maxFps: 1000, clock });
	writer.stream.write('abc\nfull!');
	clock.advance(1);
	const first = written.join('');
	assert.ok(first.includes('abc\u001b[m\u001b[K'));
	assert.ok(first.includes('full!\u001b[m') && !first.includes('full!\u001b[m\u001b[K'));
	written.length = 0;
	writer.stream.write('abc\nfull!');
	clock.advance(1);
	assert.equal(written.join(''), '');
	writer.stream.write('abd\nfull!');
	writer.stop();
	assert.deepEqual(rowsTouched(written.join('')), [1]);
	assert.ok(written.join('').includes('\u001b[1;3Hd'), 'only the changed column, after a move to it');
});

test('frames faster than the cap are merged: only the latest is drawn', () => {
	const { terminal, written } = fakeTerminal();
	const clock = manualClock();
	const writer = createFrameWriter(terminal, { maxFps: 10, clock });
	writer.stream.write('a');
	writer.stream.write('b');
	writer.stream.write('c');
	writer.stop();
	const text = written.join('');
	assert.ok(text.includes('c') && !text.includes('b') && !text.includes('a'));
});

test('a resize clears the screen, repaints everything, and is passed on to Ink', () => {
	const { terminal, written } = fakeTerminal();
	const clock = manualClock();
	const writer = createFrameWriter(terminal, { maxFps: 1000, clock });
	let resized = 0;
	writer.stream.on('resize', () => resized++);
	writer.stream.write('one\ntwo');
	terminal.emit('resize');
	writer.stream.write('one\ntwo');
	writer.stop();
	assert.equal(resized, 1);
	const afterResize = written.join('').split('\u001b[2J')[1] ?? '';
	assert.deepEqual(rowsTouched(afterResize), [1, 2]);
});

test('the stream Ink draws into reports the terminal’s size as it is now', () => {
	const { terminal } = fakeTerminal(80, 24);
	const clock = manualClock();
	const writer = createFrameWriter(terminal, { maxFps: 1000, clock });
	terminal.columns = 100;
	terminal.rows = 30;
	assert.equal(writer.stream.columns, 100);
	assert.equal(writer.stream.rows, 30);
	writer.stop();
});

test('an overlay is spliced into the blank columns it names, and a new overlay redraws only its rows', () => {
	const { terminal, written } = fakeTerminal(20, 4);
	const clock = manualClock();
	const writer = createFrameWriter(terminal, { maxFps: 1000, clock });
	writer.stream.write('head\n|      |x\n|      |y\nfoot');
	writer.setOverlay({ row: 1, column: 1, width: 6, lines: ['\u001b[32mab\u001b[0m', 'cdef'] });
	clock.advance(1);
	const first = plain(written.join(''));
	assert.ok(first.includes('|ab    |x'), first);
	assert.ok(first.includes('|cdef  |y'), first);
	written.length = 0;
	writer.setOverlay({ row: 1, column: 1, width: 6, lines: ['ab', 'cdeg'] });
	writer.stop();
	assert.deepEqual(rowsTouched(written.join('')), [2, 3]);
});

test('Ctrl-L repaint clears the screen and sends every line again, in one write, even when nothing changed', () => {
	const { terminal, written } = fakeTerminal(10, 4);
	const clock = manualClock();
	const writer = createFrameWriter(terminal, { maxFps: 1000, clock });
	writer.stream.write('one\ntwo\nthree');
	clock.advance(1);
	written.length = 0;
	writer.repaint();
	writer.stop();
	assert.equal(written.length, 1);
	const text = written.join('');
	assert.ok(text.includes('\u001b[H\u001b[2J'), 'the screen is cleared');
	assert.ok(text.indexOf('\u001b[2J') < text.indexOf('one'), 'before the lines are drawn');
	assert.deepEqual(rowsTouched(text), [1, 2, 3]);
});

test('frames are paced by the clock: one at once, the next no sooner than the cap allows, the latest one then', () => {
	const { terminal, written } = fakeTerminal(10, 3);
	const clock = manualClock();
	const writer = createFrameWriter(terminal, { maxFps: 10, clock });
	writer.stream.write('one');
	clock.advance(0);
	assert.ok(written.join('').includes('one'), 'the first frame goes out at once');
	written.length = 0;
	writer.stream.write('two');
	writer.stream.write('xyz');
	clock.advance(99);
	assert.equal(written.join(''), '', 'within 100 ms of the last write, nothing');
	clock.advance(1);
	const text = written.join('');
	assert.ok(text.includes('xyz') && !text.includes('two'), text);
	writer.stop();
});

test('in ASCII a character that may not be shown becomes ?, and a write of escape sequences alone is no frame', () => {
	const { terminal, written } = fakeTerminal(20, 3);
	const clock = manualClock();
	const writer = createFrameWriter(terminal, { maxFps: 1000, clock, ascii: true });
	writer.stream.write('ok\u0007bell\nnext');
	clock.advance(1);
	writer.stream.write('\u001b[?25h');
	clock.advance(100);
	writer.stop();
	const text = written.join('');
	assert.ok(text.includes('ok?bell'), JSON.stringify(text));
	assert.ok(
		[...text].every((char) => char.charCodeAt(0) < 0x80),
		'nothing above ASCII',
	);
	assert.ok(text.includes('next'), 'the frame stays: the cursor sequence did not replace it');
	assert.equal(rowsTouched(text).length, 2);
});

test('frame after frame, what the terminal shows is the latest frame, and every write leaves no style in force', () => {
	const random = seededRandom(7);
	const painter = createPainter(true);
	const columns = 60;
	const rows = 8;
	const { terminal, written } = fakeTerminal(columns, rows);
	const clock = manualClock();
	const writer = createFrameWriter(terminal, { maxFps: 1000, clock });
	const model = createTerminalModel(columns, rows);
	const letters = 'hh==..TLDSA';
	let frame: string[] = [];
	for (let round = 0; round < 80; round++) {
		frame = Array.from({ length: rows - Math.floor(random() * 2) }, (_, row) => {
			if (row === 0) return `${painter.paint(' heaptop ', { bold: true, inverse: true })} ${round % 7} s ago`;
			const width = Math.floor(random() * (columns - 8));
			const cells = Array.from({ length: width }, () => letters[Math.floor(random() * letters.length)]).join('');
			return `${painter.paint('│', { fg: 'gray' })} ${paintCells(cells, undefined, painter)}`;
		});
		writer.stream.write(frame.join('\n'));
		clock.advance(1);
		for (const text of written.splice(0)) {
			model.write(text);
			assert.ok(model.plainNow(), `round ${round}: a write ends with a style in force`);
		}
		const whole = createTerminalModel(columns, rows);
		const fresh = fakeTerminal(columns, rows);
		const freshWriter = createFrameWriter(fresh.terminal, { maxFps: 1000, clock });
		freshWriter.stream.write(frame.join('\n'));
		freshWriter.stop();
		for (const text of fresh.written) whole.write(text);
		assert.deepEqual(model.screen(), whole.screen(), `round ${round}`);
	}
	writer.stop();
});
