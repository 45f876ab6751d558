import { useCallback, useEffect, useRef, useState } from 'react';
import type { HeapSnapshot } from '../../heap/model.js';
import type {
	HeapSource,
	LightReading,
	Reading,
	ReplayControls,
	ScenarioStep,
	SourceStatus,
} from '../../sources/source.js';
import type { ReadRefusal } from '../state/command-types.js';
import {
	createHistory,
	type History,
	type HistoryPoint,
	historyOfRecording,
	type LowWaterMarks,
	type RecordingHistory,
} from '../state/history.js';
import { createLogLines } from '../state/log-lines.js';

/** Where a replay stands. */
export type ReplayPosition = {
	/** 0-based index of the reading shown. */
	index: number;
	count: number;
	/** Index in `points` of the last after-collect point at or before the reading shown; -1 before the first. */
	pointIndex: number;
};

/** What the UI sees of a source. */
export type HeapSourceState = {
	status: SourceStatus;
	/** The source's words about its status: "board unplugged", "running main.py". */
	statusMessage?: string;
	reading?: Reading;
	/** The latest light reading (the GC's totals, no map) when it is newer than `reading`. */
	light?: LightReading;
	/** The reading before `reading` (in a replay, the one before it in the recording), for the diff. */
	previous?: Reading;
	/** After-collect points for the sparklines: the session's latest, or the whole recording's. */
	points: readonly HistoryPoint[];
	lowWater: LowWaterMarks;
	logLines: readonly string[];
	step?: ScenarioStep;
	/** Present for a replay once its first reading is shown. */
	replay?: ReplayPosition;
	readInFlight: boolean;
	/** When the reading under way started (ms since the epoch), for `not answering`. */
	readStartedAtMs?: number;
	/** A dump streaming in: bytes so far, the size expected when known, and the rows read so far. */
	progress?: { receivedBytes: number; expectedBytes?: number; partial?: HeapSnapshot; atMs: number };
};

/** The hook's result: state plus the actions that talk to the source. */
export type UseHeapSource = HeapSourceState & {
	/** Takes a reading, after a collect when asked; resolves why not when it cannot start one. */
	read(collect: boolean): ReadRefusal | undefined;
	/** Takes a light reading (one short line, no map), for auto-refresh; why not when it cannot start one. */
	readLight(): ReadRefusal | undefined;
	/** True when the source can take light readings (a board). */
	canReadLight: boolean;
	/** Runs a scenario action (next step, choose), refreshing the caption when it ends. */
	runScenario(action: () => Promise<void>, options?: { newHistory?: boolean }): void;
	/** A replay only: shows the reading at `index` (kept inside the recording); returns the index shown. */
	seek(index: number): number | undefined;
};

/** Options: where problems go, and history bounds. */
export type UseHeapSourceOptions = {
	onProblem(message: string): void;
	/** Whole readings kept (the rest keep only their figures). */
	keepReadings?: number;
	maxPoints?: number;
	/** The clock for when a reading started; `Date.now` by default. */
	now?: () => number;
};

/**
 * Connects a source to React state: starts it, listens to its events, keeps a bounded history and log, and
 * on unmount unsubscribes and closes it. Everything it starts, it stops. A replay's readings are not added
 * to the history as they are shown: its history is the whole recording's, and a reading moves the cursor.
 */
export function useHeapSource(source: HeapSource, options: UseHeapSourceOptions): UseHeapSource {
	const onProblem = useRef(options.onProblem);
	const clock = useRef(options.now);
	clock.current = options.now;
	onProblem.current = options.onProblem;
	const history = useRef<History | undefined>(undefined);
	if (!history.current) {
		history.current = createHistory({
			keepReadings: options.keepReadings ?? 3,
			maxPoints: options.maxPoints ?? 10_000,
		});
	}
	const log = useRef(createLogLines());
	const inFlight = useRef(false);
	const mounted = useRef(true);
	const [state, setState] = useState<HeapSourceState>({
		status: 'connecting',
		points: [],
		lowWater: {},
		logLines: [],
		readInFlight: false,
		...(source.scenario ? { step: source.scenario.current() } : {}),
	});
	const statusRef = useRef<SourceStatus>('connecting');

	// The whole recording's history, built once from the figures of all its readings, then only looked up.
	const recording = useRef<{ points: readonly HistoryPoint[]; count: number; history: RecordingHistory } | undefined>(
		undefined,
	);

	useEffect(() => {
		mounted.current = true;
		const showReplayReading = (reading: Reading, controls: ReplayControls) => {
			const all = controls.points();
			let whole = recording.current;
			if (!whole || whole.points !== all || whole.count !== all.length) {
				whole = { points: all, count: all.length, history: historyOfRecording(all) };
				recording.current = whole;
			}
			const { history: recorded } = whole;
			const index = controls.cursor();
			const before = index > 0 ? controls.reading(index - 1) : undefined;
			const wasConnecting = statusRef.current === 'connecting';
			if (wasConnecting) statusRef.current = 'live';
			setState((previous) => {
				const next: HeapSourceState = {
					...previous,
					...(wasConnecting ? { status: 'live' as const } : {}),
					reading,
					points: recorded.collectPoints,
					lowWater: recorded.marks,
					replay: { index, count: all.length, pointIndex: recorded.pointIndex[index] ?? -1 },
				};
				if (before) next.previous = before;
				else delete next.previous;
				return next;
			});
		};
		const breakSegment = () => {
			history.current?.breakSegment();
			setState((previous) => {
				if (previous.previous === undefined) return previous;
				const next: HeapSourceState = { ...previous };
				delete next.previous;
				return next;
			});
		};
		const unsubscribe = source.subscribe((event) => {
			if (!mounted.current) return;
			switch (event.type) {
				case 'status':
					// A board back from disconnected has identified anew: whatever heap it has now is another segment.
					if (statusRef.current === 'disconnected' && event.status !== 'disconnected') breakSegment();
					statusRef.current = event.status;
					setState((previous) => {
						const next: HeapSourceState = { ...previous, status: event.status };
						if (event.message === undefined) delete next.statusMessage;
						else next.statusMessage = event.message;
						return next;
					});
					break;
				case 'reading': {
					if (source.replay) {
						showReplayReading(event.reading, source.replay);
						break;
					}
					const kept = history.current;
					if (!kept) break;
					kept.push(event.reading);
					// A reading is proof of life from a source that never said it was live.
					const wasConnecting = statusRef.current === 'connecting';
					if (wasConnecting) statusRef.current = 'live';
					const recent = kept.recent();
					const previousReading = recent.length >= 2 ? recent[recent.length - 2] : undefined;
					setState((previous) => {
						const next: HeapSourceState = {
							...previous,
							...(wasConnecting ? { status: 'live' as const } : {}),
							reading: event.reading,
							points: kept.collectPoints(),
							lowWater: kept.marks(),
						};
						delete next.progress;
						delete next.light;
						if (previousReading) next.previous = previousReading;
						if (source.scenario) next.step = source.scenario.current();
						return next;
					});
					break;
				}
				case 'progress': {
					const progress: NonNullable<HeapSourceState['progress']> = {
						receivedBytes: event.receivedBytes,
						atMs: (clock.current ?? Date.now)(),
					};
					if (event.expectedBytes !== undefined) progress.expectedBytes = event.expectedBytes;
					setState((previous) => {
						// A source sends the rows read so far only now and then: the last ones stay on screen meanwhile.
						const partial = event.partial ?? previous.progress?.partial;
						return { ...previous, progress: partial ? { ...progress, partial } : progress };
					});
					break;
				}
				case 'light': {
					const kept = history.current;
					if (!kept) break;
					kept.pushLight(event.light);
					setState((previous) => ({
						...previous,
						light: event.light,
						points: kept.collectPoints(),
						lowWater: kept.marks(),
					}));
					break;
				}
				case 'output': {
					const lines = log.current.push(event.text);
					setState((previous) => (previous.logLines === lines ? previous : { ...previous, logLines: lines }));
					break;
				}
				case 'problem':
					// A soft reboot reset the heap: no peak, low, trend or diff across it.
					if (event.problem === 'soft-reboot') breakSegment();
					onProblem.current(event.message);
					break;
			}
		});
		source.start().catch((error: unknown) => {
			if (mounted.current)
				onProblem.current(`could not start: ${error instanceof Error ? error.message : String(error)}`);
		});
		return () => {
			mounted.current = false;
			unsubscribe();
			void source.close();
		};
	}, [source]);

	const setInFlight = useCallback((value: boolean) => {
		inFlight.current = value;
		if (!mounted.current) return;
		setState((previous) => {
			const next: HeapSourceState = { ...previous, readInFlight: value };
			if (value) next.readStartedAtMs = (clock.current ?? Date.now)();
			else {
				delete next.readStartedAtMs;
				delete next.progress;
			}
			return next;
		});
	}, []);

	// A collect asked for while a plain reading is under way (an auto-refresh tick) runs right after it,
	// rather than being refused: the user pressed g and should get a collect.
	const collectQueued = useRef(false);
	// One reading at a time, whole or light; a collect queued meanwhile (g pressed) runs right after it.
	const start = useCallback(
		(what: 'light' | { collect: boolean }) => {
			setInFlight(true);
			const reading = what === 'light' ? source.readLight?.call(source) : source.read(what);
			Promise.resolve(reading)
				.catch((error: unknown) => {
					if (mounted.current)
						onProblem.current(`reading failed: ${error instanceof Error ? error.message : String(error)}`);
				})
				.finally(() => {
					if (collectQueued.current && mounted.current) {
						collectQueued.current = false;
						start({ collect: true });
						return;
					}
					setInFlight(false);
				});
		},
		[source, setInFlight],
	);

	const read = useCallback(
		(collect: boolean): ReadRefusal | undefined => {
			if (source.replay) return 'replay';
			if (!source.canRead) return 'passive';
			const status = statusRef.current;
			if (status === 'disconnected' || status === 'connecting' || status === 'error' || status === 'busy')
				return status;
			if (inFlight.current) {
				if (!collect) return 'in-flight';
				collectQueued.current = true;
				return undefined;
			}
			start({ collect });
			return undefined;
		},
		[source, start],
	);

	const readLight = useCallback((): ReadRefusal | undefined => {
		if (!source.readLight) return 'passive';
		const status = statusRef.current;
		if (status === 'disconnected' || status === 'connecting' || status === 'error' || status === 'busy') return status;
		if (inFlight.current) return 'in-flight';
		start('light');
		return undefined;
	}, [source, start]);

	// A source that turns live with no reading yet (a board: auto-refresh is off) gets one at once, so the
	// screen does not sit empty until the first key. Asked again when it comes back after going away: a first
	// reading lost with the link (the server closed in the middle of the dump) left the screen waiting.
	const firstReadAsked = useRef(false);
	useEffect(() => {
		if (state.status === 'disconnected') firstReadAsked.current = false;
		if (firstReadAsked.current || state.status !== 'live' || state.reading || !source.canRead) return;
		firstReadAsked.current = true;
		read(false);
	}, [state.status, state.reading, source, read]);

	const runScenario = useCallback(
		(action: () => Promise<void>, runOptions: { newHistory?: boolean } = {}) => {
			// Another scenario is another program: its history starts empty, not as the tail of the last one's
			// (a leak after a fragmentation run would show a falling trend).
			if (runOptions.newHistory) {
				history.current = createHistory({
					keepReadings: options.keepReadings ?? 3,
					maxPoints: options.maxPoints ?? 10_000,
				});
				setState((previous) => {
					const next: HeapSourceState = { ...previous, points: [], lowWater: {} };
					delete next.previous;
					return next;
				});
			}
			action()
				.catch((error: unknown) => {
					if (mounted.current) onProblem.current(error instanceof Error ? error.message : String(error));
				})
				.finally(() => {
					const scenario = source.scenario;
					if (mounted.current && scenario) setState((previous) => ({ ...previous, step: scenario.current() }));
				});
		},
		[source, options.keepReadings, options.maxPoints],
	);

	const seek = useCallback((index: number) => source.replay?.seek(index), [source]);

	return { ...state, read, readLight, canReadLight: source.readLight !== undefined, runScenario, seek };
}
