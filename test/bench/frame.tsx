import { EventEmitter } from 'node:events';
import { render, renderToString } from 'ink';
import type { HeapSnapshot } from '../../source/heap/model.js';
import { createPainter } from '../../source/present/paint.js';
import { Screen, type ScreenProps } from '../../source/ui/components/screen.js';
import type { HeapSourceState } from '../../source/ui/hooks/use-heap-source.js';
import { composeOverlay, type Overlay } from '../../source/ui/layout/overlay.js';
import { legendOf, screenProps } from '../../source/ui/layout/screen-props.js';
import { createHistory } from '../../source/ui/state/history.js';
import { initialViewState, type ViewState, type Zoom } from '../../source/ui/state/view-state.js';
import { createFrameWriter, type FrameClock, type TerminalStream } from '../../source/ui/terminal/frame-writer.js';
import { glyphsFor } from '../../source/ui/text/glyphs.js';
import { liveCapabilities } from '../helpers/capabilities.js';

/** What a benched frame shows besides the snapshot. */
export type BenchFrameOptions = {
	color?: boolean;
	ascii?: boolean;
	zoom?: Zoom;
	scrollLine?: number;
	/** A snapshot to diff against, to bench the highlighted map. */
	before?: HeapSnapshot;
	/** Draw the map through the overlay as the running TUI does (default), or through Ink as tests do. */
	overlay?: boolean;
};

const painters = new Map<boolean, ReturnType<typeof createPainter>>();
function painterFor(color: boolean) {
	let painter = painters.get(color);
	if (!painter) {
		painter = createPainter(color);
		painters.set(color, painter);
	}
	return painter;
}

/**
 * The props of one frame of the TUI for a snapshot at a size, made by the App's own `screenProps` from a
 * view and a source state built here, without a source or a terminal: for the bench and for tests of the
 * screen alone.
 */
export function screenPropsFor(
	snapshot: HeapSnapshot,
	columns: number,
	rows: number,
	options: BenchFrameOptions = {},
): ScreenProps {
	// One painter per colour choice, as the App keeps one: a new painter would empty the map's row cache.
	const painter = painterFor(options.color ?? true);
	const glyphs = glyphsFor(options.ascii ?? false);
	const history = createHistory();
	const reading = { snapshot, atMs: 0, afterCollect: true };
	history.push(reading);
	const view: ViewState = { ...initialViewState(0), zoom: options.zoom ?? 1, scrollLine: options.scrollLine ?? 0 };
	if (options.before) {
		view.highlight = 'pinned';
		view.diffBase = options.before;
	}
	const heap: HeapSourceState = {
		status: 'live',
		reading,
		points: history.collectPoints(),
		lowWater: history.marks(),
		logLines: [],
		readInFlight: false,
	};
	const caps = liveCapabilities(reading, {
		columns,
		rows,
		legendLines: legendOf(snapshot, columns - 1, painter).length,
		helpLines: 0,
		nowMs: 0,
		ascii: options.ascii ?? false,
	});
	return screenProps({ view, heap, caps, description: 'bench', painter, glyphs, now: () => 0 });
}

/**
 * Renders one whole frame of the TUI to a string in a fresh Ink instance, the map spliced in as the frame
 * writer does. It includes Ink's start-up cost; `createFrameBench` times redraws of a running screen.
 */
export function renderFrameForBench(
	snapshot: HeapSnapshot,
	columns: number,
	rows: number,
	options: BenchFrameOptions = {},
): string {
	let overlay: Overlay | undefined;
	// renderToString unmounts before it returns, and the unmount takes the overlay away: keep the last one.
	const sink = (next: Overlay | undefined) => {
		if (next) overlay = next;
	};
	const useOverlay = options.overlay ?? true;
	const frame = renderToString(
		<Screen {...screenPropsFor(snapshot, columns, rows, options)} {...(useOverlay ? { mapOverlay: sink } : {})} />,
		{ columns },
	);
	return composeOverlay(frame.split('\n'), overlay).join('\n');
}

/** A live Ink instance drawing the screen into memory, as the TUI does, for timing frame after frame. */
export type FrameBench = {
	/** Draws the frame scrolled to `scrollLine`, zoomed to `zoom`, of `next` when given (a new reading), sends
	 * it through the frame writer, and returns it. */
	frame(scrollLine: number, zoom?: Zoom, next?: HeapSnapshot): string;
	/** Bytes the frame writer has sent to the terminal so far. */
	readonly bytesWritten: number;
	/** Unmounts the instance. */
	close(): void;
};

/** A clock whose timers run when `drain` is called: the frame writer's flush, at once after each frame. */
function drainClock(): FrameClock & { drain(): void } {
	let nowMs = 0;
	const queue: (() => void)[] = [];
	return {
		now: () => nowMs,
		setTimeout(callback) {
			queue.push(callback);
			return queue.length;
		},
		clearTimeout() {},
		drain() {
			nowMs += 1000;
			for (const callback of queue.splice(0)) callback();
		},
	};
}

/**
 * Mounts the screen once in an Ink instance that renders into memory (Ink's debug mode, which the TUI uses
 * too), so that each `frame` call costs what a redraw costs in the running TUI: React, layout, Ink's output
 * of the screen, the map's rows spliced in and the changed columns put on the wire by the frame writer.
 * Synchronous: Ink's legacy root renders inside `rerender`. This is the function for `npm run bench` (200×60,
 * 8 MiB heap).
 */
export function createFrameBench(
	snapshot: HeapSnapshot,
	columns: number,
	rows: number,
	options: BenchFrameOptions = {},
): FrameBench {
	let last = '';
	let overlay: Overlay | undefined;
	const clock = drainClock();
	const terminal = Object.assign(new EventEmitter(), {
		columns,
		rows,
		isTTY: true,
		write: () => true,
	});
	const writer = createFrameWriter(terminal as unknown as TerminalStream, {
		maxFps: 1000,
		clock,
		ascii: options.ascii ?? false,
	});
	const sink = (next: Overlay | undefined) => {
		overlay = next;
		writer.setOverlay(next);
	};
	const useOverlay = options.overlay ?? true;
	const stdout = Object.assign(new EventEmitter(), {
		columns,
		rows,
		isTTY: true,
		write(chunk: string) {
			last = chunk;
			writer.stream.write(chunk);
			return true;
		},
	});
	const stdin = Object.assign(new EventEmitter(), {
		isTTY: false,
		setRawMode() {},
		setEncoding() {},
		read: () => null,
		resume() {},
		pause() {},
		ref() {},
		unref() {},
	});
	let shown = snapshot;
	const element = (scrollLine: number, zoom: Zoom) => (
		<Screen
			{...screenPropsFor(shown, columns, rows, { ...options, scrollLine, zoom })}
			{...(useOverlay ? { mapOverlay: sink } : {})}
		/>
	);
	const instance = render(element(0, options.zoom ?? 1), {
		stdout: stdout as unknown as NodeJS.WriteStream,
		stdin: stdin as unknown as NodeJS.ReadStream,
		debug: true,
		patchConsole: false,
		exitOnCtrlC: false,
	});
	clock.drain();
	return {
		frame(scrollLine, zoom, next) {
			if (next) shown = next;
			instance.rerender(element(scrollLine, zoom ?? options.zoom ?? 1));
			clock.drain();
			return composeOverlay(last.split('\n'), overlay).join('\n');
		},
		get bytesWritten() {
			return writer.bytesWritten;
		},
		close() {
			instance.unmount();
			instance.cleanup();
			writer.stop();
		},
	};
}
