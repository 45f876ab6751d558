import { EventEmitter } from 'node:events';
import { sanitizeForTerminal } from '../../protocol/sanitize.js';
import { composeOverlay, type Overlay } from '../layout/overlay.js';
import { type Cell, cellsOf, freshWireState, lineUpdate } from './line-diff.js';
import { sgrTransition } from './sgr.js';

/**
 * Puts Ink's frames on a full-screen terminal line by line. Ink renders into this object (in its `debug`
 * mode, which hands over each whole frame); only the columns that differ from what the terminal shows are
 * sent, each run of them with an absolute cursor move, and at most `maxFps` times a second. On a 9600-baud
 * link a new reading then costs the cells that changed, not a screen.
 *
 * Why not Ink's own `incrementalRendering`: Ink 6.8 moves the cursor up one line too few when a frame ends
 * with a newline (which every frame shorter than the terminal does), so every frame after the first lands
 * one row low; and a frame as tall as the terminal makes Ink clear the whole screen each time.
 */

/** The real terminal's end, as much as the writer needs. */
export type TerminalStream = NodeJS.WritableStream & {
	columns?: number;
	rows?: number;
	isTTY?: boolean;
	on(event: 'resize', listener: () => void): unknown;
	off(event: 'resize', listener: () => void): unknown;
};

/** The stream given to Ink, and a way to stop it. */
export type FrameWriter = {
	/** Pass as Ink's `stdout`. */
	readonly stream: NodeJS.WriteStream;
	/** Sets the painted lines placed over Ink's frame (the block map), or takes them away. */
	setOverlay(overlay: Overlay | undefined): void;
	/** Ctrl-L: forgets what the terminal shows and sends the whole screen again, over a cleared screen, so
	 * that whatever else wrote to the terminal (a `wall` message, a background job) is gone. */
	repaint(): void;
	/** Writes what is pending now, then ignores further frames. */
	stop(): void;
	/** Bytes written to the terminal so far (for tests and the bench). */
	readonly bytesWritten: number;
};

// Synchronized output (DEC mode 2026): terminals that know it show a frame whole; others ignore it.
const BEGIN_SYNC = '\u001b[?2026h';
const END_SYNC = '\u001b[?2026l';

/** The clock and timer the writer paces frames with: the real ones, or a test's. */
export type FrameClock = {
	now(): number;
	setTimeout(callback: () => void, ms: number): unknown;
	clearTimeout(handle: unknown): void;
};

const realClock: FrameClock = {
	now: () => Date.now(),
	setTimeout: (callback, ms) => setTimeout(callback, ms),
	clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Creates a writer on `terminal`. */
export function createFrameWriter(
	terminal: TerminalStream,
	options: { maxFps?: number; clock?: FrameClock; ascii?: boolean } = {},
): FrameWriter {
	const clock = options.clock ?? realClock;
	const minIntervalMs = Math.ceil(1000 / Math.max(1, options.maxFps ?? 15));
	let shown: string[] = [];
	// The columns of each shown line, counted once when it was sent (undefined: not countable).
	let shownCells: (Cell[] | undefined)[] = [];
	let frame = '';
	let overlay: Overlay | undefined;
	let dirty = false;
	let lastWriteMs = 0;
	let timer: unknown;
	let stopped = false;
	let bytesWritten = 0;
	// A repaint clears the screen in the same write as the frame that follows, so it never flashes blank.
	let pendingClear = false;
	const emitter = new EventEmitter();

	const flush = () => {
		timer = undefined;
		if (!dirty) return;
		dirty = false;
		lastWriteMs = clock.now();
		const rows = terminal.rows || 24;
		const columns = terminal.columns || 80;
		// The screen's edge: each line through the sanitising rule, before the writer's own cursor moves.
		// In ASCII (`--ascii`, or a locale that is not UTF-8) the mark for a character that may not be shown is
		// `?`: U+FFFD would itself be a byte sequence the terminal cannot show.
		const lines = composeOverlay(frame.split('\n').slice(0, rows), overlay).map((line) =>
			options.ascii ? sanitizeForTerminal(line).replaceAll('\ufffd', '?') : sanitizeForTerminal(line),
		);
		let out = pendingClear ? '\u001b[H\u001b[2J' : '';
		pendingClear = false;
		const count = Math.max(lines.length, shown.length);
		// The terminal's style and cursor carry from one line's update to the next within this write.
		const state = freshWireState();
		const nextCells: (Cell[] | undefined)[] = [];
		for (let row = 0; row < count && row < rows; row++) {
			const line = lines[row] ?? '';
			const before = shown[row];
			const cells = before === line ? shownCells[row] : cellsOf(line);
			nextCells[row] = cells;
			// Only the columns that changed, each run after a cursor move (line-diff.ts).
			out += lineUpdate(row, before, line, columns, state, { before: shownCells[row], after: cells });
		}
		shown = lines;
		shownCells = nextCells;
		if (out === '') return;
		// Every write ends with no style in force: whatever writes next (Ink on exit, the shell) starts plain.
		const text = BEGIN_SYNC + out + sgrTransition(state.style, '') + END_SYNC;
		bytesWritten += Buffer.byteLength(text);
		terminal.write(text);
	};

	// Always a timer, never a write inside Ink's render: the map's overlay for a frame is set in a layout
	// effect, just after Ink hands the frame over, and both must go out together.
	const schedule = () => {
		dirty = true;
		if (timer !== undefined) return;
		timer = clock.setTimeout(flush, Math.max(0, lastWriteMs + minIntervalMs - clock.now()));
	};

	const onResize = () => {
		// After a resize the terminal's own reflow has moved everything: repaint from a blank screen.
		shown = [];
		shownCells = [];
		terminal.write('\u001b[H\u001b[2J');
		emitter.emit('resize');
	};
	terminal.on('resize', onResize);

	// defineProperties, not Object.assign: assign would read the size getters once and freeze them.
	const stream = Object.defineProperties(emitter, {
		isTTY: { value: true },
		writable: { value: true },
		columns: { get: () => terminal.columns || 80 },
		rows: { get: () => terminal.rows || 24 },
		write: {
			value(chunk: string | Uint8Array): boolean {
				if (stopped) return true;
				const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
				// On unmount in a CI environment Ink writes a bare newline; that is not a frame.
				// Nor is a write of escape sequences alone (Ink shows the cursor again as it unmounts): only a frame
				// with text on it replaces the one on screen.
				// biome-ignore lint/suspicious/noControlCharactersInRegex: the sequences start with ESC.
				if (text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').trim() === '') return true;
				frame = text;
				schedule();
				return true;
			},
		},
	});

	return {
		stream: stream as unknown as NodeJS.WriteStream,
		setOverlay(next) {
			if (stopped) return;
			overlay = next;
			schedule();
		},
		repaint() {
			if (stopped) return;
			shown = [];
			shownCells = [];
			pendingClear = true;
			schedule();
		},
		stop() {
			if (stopped) return;
			clock.clearTimeout(timer);
			flush();
			stopped = true;
			terminal.off('resize', onResize);
		},
		get bytesWritten() {
			return bytesWritten;
		},
	};
}
