import { useApp } from 'ink';
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { formatCount } from '../../present/format.js';
import { createPainter } from '../../present/paint.js';
import type { HeapSource } from '../../sources/source.js';
import { saveReading } from '../effects/save-snapshot.js';
import { useAutoRefresh } from '../hooks/use-auto-refresh.js';
import { useHeapSource } from '../hooks/use-heap-source.js';
import { useKeys } from '../hooks/use-keys.js';
import { useReplayPlay } from '../hooks/use-replay-play.js';
import { type TerminalSize, useTerminalSize } from '../hooks/use-terminal-size.js';
import type { OverlaySink } from '../layout/overlay.js';
import {
	captionLineCount,
	captionOf,
	helpOf,
	highlightsOf,
	legendOf,
	NOT_ANSWERING_MS,
	screenProps,
} from '../layout/screen-props.js';
import type { Capabilities, Effect } from '../state/command-types.js';
import { refusalWords } from '../state/commands.js';
import { type Action, type ScreenModel, screenReducer } from '../state/reducer.js';
import { initialViewState, type Notice } from '../state/view-state.js';
import { glyphsFor } from '../text/glyphs.js';
import { Screen } from './screen.js';

/** Props of the TUI. */
export type AppProps = {
	source: HeapSource;
	/** False for `--no-color` or `NO_COLOR`: letters only, no colour sequences. */
	color: boolean;
	/** True for `--ascii`: no box-drawing or block characters. */
	ascii: boolean;
	/** Auto-refresh at start, in ms, 0 for off: off for a board, 1000 for the demo. */
	intervalMs: number;
	/** A fixed size instead of the terminal's (tests, benches). */
	size?: TerminalSize;
	/** A line shown in the status line at start, as a notice is (why the demo runs instead of a board). */
	notice?: string;
	/** Where `s` writes; the working directory by default. */
	saveDirectory?: string;
	/** How long the diff stays highlighted after a collect, in ms. */
	diffMomentMs?: number;
	/** How long a notice stays in the status line, in ms. */
	noticeMs?: number;
	/** The clock for "0.4 s ago"; `Date.now` by default. */
	now?: () => number;
	/** Called once when the user quits, with the exit code. */
	onExit?: (code: number) => void;
	/** Hands the map's painted rows to the frame writer instead of Ink (runTui sets it; see overlay.ts). */
	mapOverlay?: OverlaySink;
	/** Ctrl-L: the frame writer forgets what the terminal shows and sends the whole screen again. */
	onRepaint?: () => void;
};

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * The TUI: one source in, the screen out. The view is a pure reducer (`state/reducer.ts`) behind
 * `useReducer`; the source's state comes from `useHeapSource`; what is drawn is `screenProps` of both.
 * This component only wires them: it hands keys and events to the reducer and runs the effects it returns.
 */
export function App(props: AppProps) {
	const { source, color, ascii } = props;
	const { exit } = useApp();
	const painter = useMemo(() => createPainter(color), [color]);
	const glyphs = useMemo(() => glyphsFor(ascii), [ascii]);
	const size = useTerminalSize(props.size);
	const [model, dispatch] = useReducer(
		screenReducer,
		undefined,
		(): ScreenModel => ({ view: initialViewState(props.intervalMs, props.notice), effects: [], effectSeq: 0 }),
	);
	const view = model.view;
	const now = props.now ?? Date.now;
	const send = useRef<(action: Action) => void>(() => undefined);
	const heap = useHeapSource(source, {
		onProblem: (message) => send.current({ type: 'notify', notice: { text: message, tone: 'warn' } }),
		now,
	});
	const replay = source.replay;
	const scenarios = useMemo(() => source.scenario?.list(), [source]);
	const replayFirst = replay?.points()[0];
	const snapshot = heap.reading?.snapshot;

	// What the reducer may know of the world, as of this render; the replay's cursor and the clock are read
	// when an action is sent, since keys can come several to a chunk.
	const caption = captionOf({ view, heap, ...(replayFirst ? { replayFirst } : {}), ascii });
	const caps: Capabilities = {
		mode: replay ? 'replay' : 'live',
		scenarios: scenarios?.length ?? 0,
		canRead: source.canRead,
		canInterrupt: source.interrupt !== undefined,
		canProbe: source.probeLargestBlock !== undefined,
		status: heap.status,
		readInFlight: heap.readInFlight,
		columns: size.columns,
		rows: size.rows,
		captionLines: captionLineCount(caption, size.columns),
		legendLines: legendOf(snapshot, size.columns - 1, painter, highlightsOf(snapshot, view.markers)).length,
		helpLines: view.help
			? helpOf({ mode: replay ? 'replay' : 'live', scenarios, columns: size.columns, ascii, painter, glyphs }).length
			: 0,
		nowMs: now(),
		ascii,
	};
	if (heap.statusMessage !== undefined) caps.statusMessage = heap.statusMessage;
	if (heap.reading) caps.reading = heap.reading;
	if (heap.previous) caps.previous = heap.previous;
	const capsRef = useRef(caps);
	capsRef.current = caps;
	send.current = (action: Action) => {
		const current: Capabilities = { ...capsRef.current, nowMs: now() };
		if (replay) current.replay = { cursor: replay.cursor(), count: replay.points().length };
		dispatch({ action, caps: current });
	};
	const notify = useCallback((text: string, tone: Notice['tone'] = 'info') => {
		send.current({ type: 'notify', notice: { text, tone } });
	}, []);

	useKeys((key) => send.current({ type: 'key', key }));

	// The effects the reducer asked for, each run once, in order.
	const ran = useRef(0);
	const runEffect = (effect: Effect) => {
		switch (effect.type) {
			case 'quit':
				props.onExit?.(0);
				exit();
				return;
			case 'read': {
				const refusal = heap.read(effect.collect);
				if (refusal) notify(`${effect.collect ? 'g' : 'r'}: ${refusalWords(refusal, capsRef.current)}`, 'warn');
				return;
			}
			case 'save': {
				const reading = heap.reading;
				if (!reading) return;
				const directory = props.saveDirectory ?? process.cwd();
				saveReading(reading, directory).then(
					(saved) => notify(`saved ${saved.textPath} and ${saved.jsonPath.slice(saved.jsonPath.lastIndexOf('/') + 1)}`),
					(error: unknown) => notify(`s: could not save in ${directory}: ${errorText(error)}`, 'error'),
				);
				return;
			}
			case 'next-step': {
				const scenario = source.scenario;
				if (scenario) heap.runScenario(() => scenario.next());
				return;
			}
			case 'choose': {
				const scenario = source.scenario;
				if (scenario) heap.runScenario(() => scenario.choose(effect.index), { newHistory: true });
				return;
			}
			case 'interrupt':
				source.interrupt?.().catch((error: unknown) => notify(`i: ${errorText(error)}`, 'error'));
				return;
			case 'probe':
				source.probeLargestBlock?.().then(
					(bytes) =>
						notify(
							bytes === undefined
								? 'b: the probe could not run on this board'
								: // CircuitPython 9 grows its heap to satisfy an allocation: the probe's answer is what it
									// could get by growing, not what the heap holds now (protocol.md §11.3).
									`b: largest allocatable block now ${formatCount(bytes)} B (by probe, after a collect${heap.reading?.snapshot.gcModuleOnly?.mayGrow ? '; may grow the heap, collected after' : ''})`,
						),
					(error: unknown) => notify(`b: ${errorText(error)}`, 'error'),
				);
				return;
			case 'seek':
				heap.seek(effect.index);
				return;
			case 'repaint':
				props.onRepaint?.();
				return;
		}
	};
	const runEffectRef = useRef(runEffect);
	runEffectRef.current = runEffect;
	useEffect(() => {
		for (const { seq, effect } of model.effects) {
			if (seq <= ran.current) continue;
			ran.current = seq;
			runEffectRef.current(effect);
		}
	}, [model.effects]);

	// A new reading: the reducer decides what the diff compares with, and a replay's cursor has landed. In
	// this render, not in an effect after it: an effect let one frame out with the new map and the last
	// reading's highlight, then a second with the right one, the whole map sent twice (React runs a render
	// again at once when it updates its own state).
	const reading = heap.reading;
	const before = heap.previous?.snapshot;
	const [seen, setSeen] = useState<{ reading?: typeof reading; before?: typeof before }>({});
	if (reading && (seen.reading !== reading || seen.before !== before)) {
		setSeen({ reading, before });
		send.current({ type: 'reading', afterCollect: reading.afterCollect, ...(before ? { before } : {}) });
	}

	// Notices go after a while (the start notice after twice as long), the diff's moment after its own.
	const noticeMs = props.noticeMs ?? 6000;
	const shown = view.notice;
	useEffect(() => {
		if (!shown) return;
		const seq = shown.seq;
		const timer = setTimeout(() => send.current({ type: 'notice-over', seq }), noticeMs * (shown.long ? 2 : 1));
		return () => clearTimeout(timer);
	}, [shown, noticeMs]);
	const diffMomentMs = props.diffMomentMs ?? 5000;
	useEffect(() => {
		if (view.highlight !== 'moment' || !view.diffBase) return;
		const timer = setTimeout(() => send.current({ type: 'moment-over' }), diffMomentMs);
		return () => clearTimeout(timer);
	}, [view.highlight, view.diffBase, diffMomentMs]);

	// A reading that takes long: redraw when it has been long enough for the header to say `not answering`.
	// A dump still streaming in is answering: the silence counts from its last bytes.
	const [, setLate] = useState(0);
	const startedAt = heap.readInFlight ? (heap.progress?.atMs ?? heap.readStartedAtMs) : undefined;
	useEffect(() => {
		if (startedAt === undefined) return;
		const timer = setTimeout(() => setLate((count) => count + 1), Math.max(0, startedAt + NOT_ANSWERING_MS - now()));
		return () => clearTimeout(timer);
	}, [startedAt, now]);

	const autoOn = view.intervalMs > 0 && !view.paused && heap.status === 'live' && source.canRead && !replay;
	// Between whole dumps that take long (a big heap, a slow link), light readings keep the GC figures fresh.
	useAutoRefresh((kind) => (kind === 'light' ? heap.readLight() : heap.read(false)) === undefined, {
		intervalMs: view.intervalMs,
		enabled: autoOn,
		readInFlight: heap.readInFlight,
		canReadLight: heap.canReadLight,
	});
	useReplayPlay(replay, heap.replay?.index, view.playing, view.playSpeed, () => send.current({ type: 'play-ended' }));

	const frame = screenProps({
		view,
		heap,
		caps,
		description: source.describe(),
		...(replayFirst ? { replayFirst } : {}),
		...(scenarios ? { scenarios } : {}),
		painter,
		glyphs,
		...(props.now ? { now: props.now } : {}),
		...(props.mapOverlay ? { mapOverlay: props.mapOverlay } : {}),
	});
	return <Screen {...frame} />;
}
