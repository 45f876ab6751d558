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
	/** Draws the frame scrolled to `scrollLine` (and zoomed to `zoom`) and returns it. */
	/** Draws the frame scrolled to `scrollLine`, zoomed to `zoom`, of `next` when given (a new reading). */
	frame(scrollLine: number, zoom?: Zoom, next?: HeapSnapshot): string;
	/** Unmounts the instance. */
	close(): void;
};

/**
 * Mounts the screen once in an Ink instance that renders into memory (Ink's debug mode, which the TUI uses
 * too), so that each `frame` call costs what a redraw costs in the running TUI: React, layout, Ink's output
 * of the screen, and the map's rows spliced in as the frame writer does. Synchronous: Ink's legacy root
 * renders inside `rerender`. This is the function for `npm run bench` (200×60, 8 MiB heap).
 */
export function createFrameBench(
	snapshot: HeapSnapshot,
	columns: number,
	rows: number,
	options: BenchFrameOptions = {},
): FrameBench {
	let last = '';
	let overlay: Overlay | undefined;
	const sink = (next: Overlay | undefined) => {
		overlay = next;
	};
	const useOverlay = options.overlay ?? true;
	const stdout = Object.assign(new EventEmitter(), {
		columns,
		rows,
		isTTY: true,
		write(chunk: string) {
			last = chunk;
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
	return {
		frame(scrollLine, zoom, next) {
			if (next) shown = next;
			instance.rerender(element(scrollLine, zoom ?? options.zoom ?? 1));
			return composeOverlay(last.split('\n'), overlay).join('\n');
		},
		close() {
			instance.unmount();
			instance.cleanup();
		},
	};
}
