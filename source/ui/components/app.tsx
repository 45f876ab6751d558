import { useApp, useInput } from 'ink';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { analyzeSnapshot } from '../../heap/analyze.js';
import { diffSnapshots } from '../../heap/diff.js';
import type { HeapSnapshot } from '../../heap/model.js';
import { formatCount } from '../../present/format.js';
import { lineOfBlock, nextZoom, planMap, visibleLines } from '../../present/map-layout.js';
import type { AreaMarks } from '../../present/map-rows.js';
import { createPainter } from '../../present/paint.js';
import { wrapWords } from '../../present/text-fit.js';
import type { HeapSource, ScenarioStep } from '../../sources/source.js';
import { saveReading } from '../effects/save-snapshot.js';
import { useAutoRefresh } from '../hooks/use-auto-refresh.js';
import { type ReadRefusal, useHeapSource } from '../hooks/use-heap-source.js';
import { useReplayPlay } from '../hooks/use-replay-play.js';
import { type TerminalSize, useTerminalSize } from '../hooks/use-terminal-size.js';
import { mapGeometry, mapWantsWidth } from '../layout/map-geometry.js';
import type { OverlaySink } from '../layout/overlay.js';
import { layoutScreen } from '../layout/screen-layout.js';
import { type Command, commandForKey, type KeyMode } from '../state/keys.js';
import { formatPlaySpeed, stepPlaySpeed } from '../state/replay-pace.js';
import { formatInterval, initialViewState, scrollView, stepInterval, type ViewState } from '../state/view-state.js';
import { glyphsFor, toAscii } from '../text/glyphs.js';
import { legendLines } from '../text/panels.js';
import { formatDate, replayCaption } from '../text/replay-caption.js';
import type { UiStatus } from './header.js';
import { Screen } from './screen.js';
import type { Notice } from './status-line.js';

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
};

const refusalText: Record<ReadRefusal, string> = {
	passive: 'this source only listens: readings come when the program prints them',
	replay: 'a recording takes no new readings: [ and ] step through the ones it holds',
	disconnected: 'the board is disconnected; heaptop picks it up again when it comes back',
	connecting: 'still connecting to the source',
	busy: 'the board is running a program: i interrupts it, or quit and watch it with heaptop --listen',
	'in-flight': 'a reading is already in progress',
	error: 'the source has failed',
};

/** The caption line of a demo step. */
export function stepCaption(step: ScenarioStep | undefined): string | undefined {
	if (!step) return undefined;
	if (step.step === 0)
		return `${step.title}: press n to run the first of ${step.steps} steps${step.caption ? ` ${step.caption}` : ''}`;
	return `${step.title} ${step.step}/${step.steps}: ${step.caption}`;
}

/** The header's first key in a replay: stepping, where a live source suggests collecting. */
const REPLAY_FIRST_KEY = ['[ ]', 'step'] as const;

/** Diff marks of each area of the shown snapshot, by index, from a diff that matched areas by address. */
function marksByArea(snapshot: HeapSnapshot, areas: readonly { address: string; marks?: Uint8Array }[]): AreaMarks {
	return snapshot.areas.map((area) => areas.find((candidate) => candidate.address === area.address)?.marks);
}

/**
 * The TUI: one source in, the screen out. State the user chooses (zoom, scroll, toggles) lives here; the
 * source's state comes from `useHeapSource`; everything drawn is computed by pure functions and memoised.
 */
export function App(props: AppProps) {
	const { source, color, ascii } = props;
	const { exit } = useApp();
	const painter = useMemo(() => createPainter(color), [color]);
	const glyphs = useMemo(() => glyphsFor(ascii), [ascii]);
	const size = useTerminalSize(props.size);
	const [view, setView] = useState<ViewState>(() => initialViewState(props.intervalMs));
	const [notice, setNotice] = useState<Notice | undefined>(
		props.notice === undefined ? undefined : { text: props.notice, tone: 'info' },
	);
	const noticeTimer = useRef<NodeJS.Timeout | undefined>(undefined);
	const noticeMs = props.noticeMs ?? 6000;
	const notify = useCallback(
		(text: string, tone: Notice['tone'] = 'info') => {
			setNotice({ text, tone });
			clearTimeout(noticeTimer.current);
			noticeTimer.current = setTimeout(() => setNotice(undefined), noticeMs);
		},
		[noticeMs],
	);
	const startNotice = useRef(props.notice);
	useEffect(() => {
		// The start notice stays twice as long as any other, then goes.
		if (startNotice.current !== undefined) noticeTimer.current = setTimeout(() => setNotice(undefined), noticeMs * 2);
		return () => clearTimeout(noticeTimer.current);
	}, [noticeMs]);
	const heap = useHeapSource(source, { onProblem: (message) => notify(message, 'warn') });
	const replay = source.replay;
	const mode: KeyMode = replay ? 'replay' : 'live';
	const speedText = (speed: number) => (ascii ? toAscii(formatPlaySpeed(speed)) : formatPlaySpeed(speed));
	const reading = heap.reading;
	const snapshot = reading?.snapshot;
	const metrics = useMemo(() => (snapshot ? analyzeSnapshot(snapshot) : undefined), [snapshot]);

	// The diff: from the snapshot before the last collect (or before the latest reading, when pinned with d) to
	// the one shown, so that marks always line up with the cells on screen.
	const [diffBase, setDiffBase] = useState<HeapSnapshot | undefined>(undefined);
	const diffTimer = useRef<NodeJS.Timeout | undefined>(undefined);
	const diffMomentMs = props.diffMomentMs ?? 5000;
	useEffect(() => {
		if (!reading) return;
		const before = heap.previous?.snapshot;
		// A replay's diff is always against the reading before the one shown, wherever the cursor goes, and only
		// on d: a highlight that goes by itself after 5 s of wall-clock time means nothing when the user moves
		// through recorded time.
		if (replay) {
			setDiffBase(before);
			return;
		}
		if (reading.afterCollect && before) {
			setDiffBase(before);
			setView((current) => (current.highlight === 'pinned' ? current : { ...current, highlight: 'moment' }));
		}
	}, [reading, heap.previous, replay]);
	// biome-ignore lint/correctness/useExhaustiveDependencies: a new diff base (another collect) restarts the moment.
	useEffect(() => {
		clearTimeout(diffTimer.current);
		if (view.highlight !== 'moment') return;
		diffTimer.current = setTimeout(
			() => setView((current) => (current.highlight === 'moment' ? { ...current, highlight: 'off' } : current)),
			diffMomentMs,
		);
		return () => clearTimeout(diffTimer.current);
	}, [view.highlight, diffMomentMs, diffBase]);
	const diff = useMemo(
		() => (view.highlight !== 'off' && diffBase && snapshot ? diffSnapshots(diffBase, snapshot) : undefined),
		[view.highlight, diffBase, snapshot],
	);
	const marks = useMemo(() => (diff && snapshot ? marksByArea(snapshot, diff.areas) : undefined), [diff, snapshot]);

	const first = replay?.points()[0];
	const stepText =
		stepCaption(heap.step) ??
		(heap.replay && reading && first
			? replayCaption({
					index: heap.replay.index,
					count: heap.replay.count,
					reading,
					first,
					playing: view.playing,
					speed: speedText(view.playSpeed),
				})
			: undefined);
	const caption = stepText !== undefined && ascii ? toAscii(stepText) : stepText;
	const captionLines = caption === undefined ? 0 : Math.max(1, wrapWords(caption, size.columns - 2).length);
	const legend = useMemo(() => legendLines(snapshot, size.columns - 1, painter), [snapshot, size.columns, painter]);
	const wants = useMemo(() => mapWantsWidth(snapshot), [snapshot]);
	const layout = layoutScreen({
		columns: size.columns,
		rows: size.rows,
		legend: view.legend,
		log: view.log,
		captionLines,
		legendLines: legend.length,
		mapWantsWidth: wants,
	});
	const geometry = useMemo(
		() => mapGeometry(snapshot, layout.mapWidth, layout.bodyLines, view.zoom, view.scrollLine),
		[snapshot, layout.mapWidth, layout.bodyLines, view.zoom, view.scrollLine],
	);

	const status: UiStatus =
		heap.status === 'live' && replay ? 'replay' : heap.status === 'live' && view.paused ? 'paused' : heap.status;
	const autoOn = view.intervalMs > 0 && !view.paused && heap.status === 'live' && source.canRead;
	useAutoRefresh(() => void heap.read(false), view.intervalMs, autoOn);
	useReplayPlay(replay, heap.replay?.index, view.playing, view.playSpeed, () =>
		setView((current) => (current.playing ? { ...current, playing: false } : current)),
	);

	const quit = useCallback(() => {
		props.onExit?.(0);
		exit();
	}, [exit, props.onExit]);

	// Ink re-subscribes the handler in an effect, which can run after the next key has arrived, and keys can
	// come several to a chunk: commands read and write the view through a ref that is current at once.
	const latestView = useRef(view);
	latestView.current = view;
	const updateView = (change: (current: ViewState) => ViewState) => {
		latestView.current = change(latestView.current);
		setView(change);
	};
	const run = (command: Command) => {
		switch (command.type) {
			case 'quit':
				quit();
				return;
			case 'collect':
			case 'refresh': {
				const refusal = heap.read(command.type === 'collect');
				if (refusal) {
					const key = command.type === 'collect' ? 'g' : 'r';
					const why =
						refusal === 'error' && heap.statusMessage
							? `${refusalText.error}: ${heap.statusMessage}`
							: refusalText[refusal];
					notify(`${key}: ${why}`, 'warn');
				}
				return;
			}
			case 'pause':
				if (replay) return notify('p: a recording has no auto-refresh; space plays and pauses it', 'warn');
				if (!source.canRead) return notify(`p: ${refusalText.passive}`, 'warn');
				if (latestView.current.intervalMs === 0) return notify('p: auto-refresh is off; + turns it on', 'warn');
				updateView((current) => ({ ...current, paused: !current.paused }));
				notify(
					latestView.current.paused
						? 'auto-refresh paused (p resumes)'
						: `auto-refresh resumed, every ${formatInterval(latestView.current.intervalMs)}`,
				);
				return;
			case 'interval': {
				const key = command.delta > 0 ? '+' : '-';
				if (replay) {
					const speed = stepPlaySpeed(latestView.current.playSpeed, command.delta);
					if (speed === latestView.current.playSpeed)
						return notify(`${key}: ${speedText(speed)} is the ${command.delta > 0 ? 'fastest' : 'slowest'}`, 'warn');
					updateView((current) => ({ ...current, playSpeed: speed }));
					notify(`plays at ${speedText(speed)} the recorded pace (each wait 0.05 to 1 s)`);
					return;
				}
				if (!source.canRead) return notify(`${key}: ${refusalText.passive}`, 'warn');
				const next = stepInterval(latestView.current.intervalMs, command.delta);
				if (next === latestView.current.intervalMs) {
					return notify(
						next === 0 ? '-: auto-refresh is already off' : `+: ${formatInterval(next)} is the longest interval`,
						'warn',
					);
				}
				updateView((current) => ({ ...current, intervalMs: next, paused: false }));
				notify(next === 0 ? 'auto-refresh off (r or g reads)' : `auto-refresh every ${formatInterval(next)}`);
				return;
			}
			case 'diff':
				if (latestView.current.highlight !== 'off') {
					updateView((current) => ({ ...current, highlight: 'off' }));
					return;
				}
				if (replay) {
					// The cursor, not the last render's reading: `]d` can come in one chunk.
					const at = replay.cursor();
					const before = at > 0 ? replay.reading(at - 1) : undefined;
					if (at < 0) return notify('d: nothing to compare yet: the recording is still loading', 'warn');
					if (!before) return notify('d: this is the first reading: there is none before it to compare with', 'warn');
					setDiffBase(before.snapshot);
					updateView((current) => ({ ...current, highlight: 'pinned' }));
					return;
				}
				if (!heap.previous || !snapshot) return notify('d: nothing to compare yet: a diff needs two readings', 'warn');
				setDiffBase(heap.previous.snapshot);
				updateView((current) => ({ ...current, highlight: 'pinned' }));
				return;
			case 'zoom': {
				if (!snapshot || geometry.plan.totalLines === 0) return notify('z: no block map to zoom yet', 'warn');
				if (geometry.fitZoom === 1 && latestView.current.zoom === 1)
					return notify('z: the whole heap already fits at 1 block a cell', 'warn');
				const zoom = nextZoom(latestView.current.zoom, geometry.fitZoom);
				const first = visibleLines(geometry.plan, geometry.firstLine, geometry.windowLines).find(
					(line) => line.kind === 'row',
				);
				const plan = planMap(geometry.areas, geometry.plan.cellsPerRow, zoom);
				const scrollLine = first && first.kind === 'row' ? lineOfBlock(plan, first.areaIndex, first.firstBlock) : 0;
				updateView((current) => ({ ...current, zoom, scrollLine }));
				return;
			}
			case 'legend':
				updateView((current) => ({ ...current, legend: !current.legend }));
				return;
			case 'log':
				if (replay) return notify("o: a recording keeps the heap's readings, not the board's output", 'warn');
				updateView((current) => ({ ...current, log: !current.log }));
				return;
			case 'help':
				updateView((current) => ({ ...current, help: true }));
				return;
			case 'close-help':
				updateView((current) => ({ ...current, help: false }));
				return;
			case 'save': {
				if (!reading) return notify('s: nothing to save yet: no reading has arrived', 'warn');
				const directory = props.saveDirectory ?? process.cwd();
				saveReading(reading, directory).then(
					(saved) => notify(`saved ${saved.textPath} and ${saved.jsonPath.slice(saved.jsonPath.lastIndexOf('/') + 1)}`),
					(error: unknown) =>
						notify(
							`s: could not save in ${directory}: ${error instanceof Error ? error.message : String(error)}`,
							'error',
						),
				);
				return;
			}
			case 'next-step': {
				const scenario = source.scenario;
				if (!scenario) return notify('n: only the demo has steps (heaptop --demo)', 'warn');
				heap.runScenario(() => scenario.next());
				return;
			}
			case 'choose': {
				const scenario = source.scenario;
				if (!scenario) return notify(`${command.index + 1}: only the demo has scenarios (heaptop --demo)`, 'warn');
				const count = scenario.list().length;
				if (command.index >= count)
					return notify(`${command.index + 1}: there are only ${count} scenarios (? lists them)`, 'warn');
				heap.runScenario(() => scenario.choose(command.index));
				return;
			}
			case 'interrupt': {
				const interrupt = source.interrupt?.bind(source);
				if (!interrupt) return notify('i: only a board runs a program to interrupt', 'warn');
				if (heap.status === 'connecting')
					return notify('i: still finding out whether the board is running a program; try again in a moment', 'warn');
				if (heap.status !== 'busy') return notify('i: the board is not running a program', 'warn');
				notify('interrupting the program on the board (Ctrl-C)…');
				interrupt().catch((error: unknown) =>
					notify(`i: ${error instanceof Error ? error.message : String(error)}`, 'error'),
				);
				return;
			}
			case 'probe': {
				const probe = source.probeLargestBlock?.bind(source);
				if (!probe) return notify('b: the probe runs on a board; here the map shows the largest free run', 'warn');
				if (heap.status !== 'live') return notify(`b: ${refusalText[heap.status]}`, 'warn');
				notify('b: probing the largest allocatable block (a probe: it allocates on the heap)…');
				probe().then(
					(bytes) =>
						notify(
							bytes === undefined
								? 'b: the probe could not run on this board'
								: `b: largest allocatable block now ${formatCount(bytes)} B (by probe, after a collect)`,
						),
					(error: unknown) => notify(`b: ${error instanceof Error ? error.message : String(error)}`, 'error'),
				);
				return;
			}
			case 'step':
			case 'seek': {
				const key = command.type === 'step' ? (command.delta > 0 ? ']' : '[') : command.to === 'first' ? 'Home' : 'End';
				if (!replay) return notify(`${key}: only a replay steps through readings (heaptop replay FILE)`, 'warn');
				const count = replay.points().length;
				if (count === 0) return notify(`${key}: the recording has no readings`, 'warn');
				// The cursor, not the last render's position: keys can come several to a chunk.
				const at = replay.cursor();
				const target =
					command.type === 'seek'
						? command.to === 'first'
							? 0
							: count - 1
						: Math.max(0, Math.min(count - 1, at + command.delta));
				if (command.type === 'step' && target === at)
					return notify(`${key}: this is the ${command.delta > 0 ? 'last' : 'first'} reading`, 'warn');
				heap.seek(target);
				return;
			}
			case 'play': {
				if (!replay) return;
				const count = replay.points().length;
				if (count === 0) return notify('space: the recording has no readings', 'warn');
				if (latestView.current.playing) {
					updateView((current) => ({ ...current, playing: false }));
					return;
				}
				// At the end, play means play again from the start.
				if (replay.cursor() >= count - 1) heap.seek(0);
				updateView((current) => ({ ...current, playing: true }));
				return;
			}
			case 'scroll':
			case 'scroll-to': {
				const request = command.type === 'scroll' ? { by: command.by, delta: command.delta } : { to: command.to };
				const scrollLine = scrollView(geometry.firstLine, request, geometry.plan.totalLines, geometry.windowLines);
				updateView((current) => ({ ...current, scrollLine }));
				return;
			}
		}
	};
	useInput((input, key) => {
		// Keys typed faster than a read (or sent by tmux in one write) arrive as one string: act on each.
		const presses = input.length > 1 && !key.ctrl && !key.meta ? [...input] : [input];
		for (const press of presses) {
			const command = commandForKey(press, key, latestView.current.help, mode);
			if (command) run(command);
		}
	});

	// In order of use; the status line keeps `? help` and `q quit` whatever else it must drop.
	const hints: [string, string][] = [];
	if (replay) {
		hints.push(
			['[ ]', 'step'],
			['space', view.playing ? 'pause' : 'play'],
			['Home/End', 'first/last'],
			['+/-', speedText(view.playSpeed)],
			['d', 'diff'],
			['z', 'zoom'],
			['s', 'save'],
			['l', 'legend'],
		);
	} else {
		if (source.scenario) hints.push(['n', 'next step']);
		hints.push(['g', 'collect'], ['z', 'zoom'], ['d', 'diff']);
		if (source.canRead) hints.push(['+/-', `auto ${formatInterval(view.intervalMs)}`]);
		if (source.canRead && view.intervalMs > 0) hints.push(['p', view.paused ? 'resume' : 'pause']);
		hints.push(['r', 'read'], ['o', 'output'], ['s', 'save'], ['l', 'legend']);
	}
	hints.push(['?', 'help'], ['q', 'quit']);

	const scenarios = useMemo(() => source.scenario?.list(), [source]);
	const statusNotice: Notice | undefined =
		notice ??
		(heap.statusMessage ? { text: heap.statusMessage, tone: heap.status === 'error' ? 'error' : 'info' } : undefined);
	return (
		<Screen
			layout={layout}
			rows={size.rows}
			description={ascii ? toAscii(source.describe()) : source.describe()}
			status={status}
			{...(reading ? { lastAtMs: reading.atMs } : {})}
			{...(replay && reading ? { when: formatDate(reading.atMs) } : {})}
			{...(replay ? { firstKey: REPLAY_FIRST_KEY } : {})}
			mode={mode}
			{...(snapshot ? { snapshot } : {})}
			{...(metrics ? { metrics } : {})}
			geometry={geometry}
			{...(marks ? { marks } : {})}
			{...(diff ? { diff } : {})}
			legend={legend}
			points={heap.points}
			lowWater={heap.lowWater}
			{...(replay ? { historyCursor: heap.replay?.pointIndex ?? -1 } : {})}
			logLines={heap.logLines}
			help={view.help}
			{...(caption === undefined ? {} : { caption })}
			{...(scenarios ? { scenarios } : {})}
			{...(statusNotice ? { notice: statusNotice } : {})}
			hints={hints}
			ascii={ascii}
			painter={painter}
			glyphs={glyphs}
			{...(props.now ? { now: props.now } : {})}
			{...(props.mapOverlay ? { mapOverlay: props.mapOverlay } : {})}
		/>
	);
}
