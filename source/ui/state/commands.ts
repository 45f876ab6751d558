import { parseSize } from '../../commands/parse-size.js';
import { findBlockers, largestFreeRunBlocks } from '../../heap/blockers.js';
import { type FitAnswer, fitAllocation } from '../../heap/fit.js';
import { toAscii } from '../../present/ascii.js';
import { formatBytes, formatCount } from '../../present/format.js';
import { lineOfBlock, planMap, visibleLines } from '../../present/map-layout.js';
import { blockerText, fitProblemText, placeText } from '../../present/why.js';
import { frameGeometry } from '../layout/frame-geometry.js';
import type { Capabilities, CommandEntry, HelpLine, Outcome, ReadRefusal } from './command-types.js';
import { formatPlaySpeed, stepPlaySpeed } from './replay-pace.js';
import { formatInterval, scrollView, stepInterval, toggleMarker, type ViewState, type Zoom } from './view-state.js';

/**
 * Every command heaptop has, in one table: its keys, its lines in the help, its hint in the status line,
 * and what it does to the view (a pure function; what it needs done outside comes back as an effect). The
 * help, the status line and the refusals are all made from this table, so they cannot drift apart.
 * The order is the order of the help and of the hints.
 */

const refusalText: Record<ReadRefusal, string> = {
	passive: 'this source only listens: readings come when the program prints them',
	replay: 'a recording takes no new readings: [ and ] step through the ones it holds',
	disconnected: 'the board is disconnected; heaptop picks it up again when it comes back',
	connecting: 'still connecting to the source',
	busy: 'the board is running a program: i interrupts it, or quit and watch it with heaptop --listen',
	'not-answering':
		'the board is not answering; heaptop keeps trying by itself, and i stops (Ctrl-C) a program that prints nothing or a command a cut-off client left',
	'in-flight': 'a reading is already in progress',
	error: 'the source has failed',
};

/** Why a reading cannot start now; a collect asked for during a reading is queued, not refused. */
export function readRefusal(caps: Capabilities, collect: boolean): ReadRefusal | undefined {
	if (caps.mode === 'replay') return 'replay';
	if (!caps.canRead) return 'passive';
	const { status } = caps;
	if (status === 'disconnected' || status === 'connecting' || status === 'error' || status === 'busy') return status;
	if (caps.readInFlight && !collect) return 'in-flight';
	return undefined;
}

/** The words of a refusal, with the source's own message for a failed source. */
export function refusalWords(refusal: ReadRefusal, caps: Capabilities): string {
	return refusal === 'error' && caps.statusMessage
		? `${refusalText.error}: ${caps.statusMessage}`
		: refusalText[refusal];
}

const warn = (state: ViewState, text: string): Outcome => ({ state, notice: { text, tone: 'warn' } });
const info = (state: ViewState, text: string): Outcome => ({ state, notice: { text, tone: 'info' } });

/** The screen's layout and map for a view, as the commands that move the map need them. */
function frameGeometryOf(state: ViewState, caps: Capabilities) {
	return frameGeometry(state, {
		snapshot: caps.reading?.snapshot,
		columns: caps.columns,
		rows: caps.rows,
		captionLines: caps.captionLines,
		legendLines: caps.legendLines,
	});
}

const geometryOf = (state: ViewState, caps: Capabilities) => frameGeometryOf(state, caps).geometry;

/** The view at a new zoom, with the row at the top of the window kept at the top. */
function zoomTo(state: ViewState, caps: Capabilities, zoom: Zoom): ViewState {
	const geometry = geometryOf(state, caps);
	const first = visibleLines(geometry.plan, geometry.firstLine, geometry.windowLines).find(
		(line) => line.kind === 'row',
	);
	const blocksPerCell = zoom === 'fit' ? geometry.fitZoom : zoom;
	const plan = planMap(geometry.areas, geometry.plan.cellsPerRow, blocksPerCell);
	const scrollLine =
		zoom === 'fit' || !first || first.kind !== 'row' ? 0 : lineOfBlock(plan, first.areaIndex, first.firstBlock);
	return { ...state, zoom, scrollLine };
}

/** `1 cell = 1 block`, `1 cell = 16 blocks`. */
function scaleWords(blocksPerCell: number): string {
	return blocksPerCell === 1 ? '1 block a cell' : `${formatCount(blocksPerCell)} blocks a cell`;
}

/** The next power of two below `zoom` (zoom in), or above it (zoom out). */
function zoomStep(zoom: number, direction: 1 | -1): number {
	if (direction < 0) {
		let step = 1;
		while (step * 2 < zoom) step *= 2;
		return step;
	}
	let step = 1;
	while (step <= zoom) step *= 2;
	return step;
}

/** The map commands refuse the same way before there is a map. */
function noMap(caps: Capabilities): boolean {
	const snapshot = caps.reading?.snapshot;
	return !snapshot || snapshot.areas.length === 0;
}

function scrollBy(state: ViewState, caps: Capabilities, request: Parameters<typeof scrollView>[1]): Outcome {
	if (state.help) {
		// The help takes the map's place: its frame is the body's height.
		const room = Math.max(1, frameGeometryOf(state, caps).layout.bodyLines - 2);
		const total = caps.helpLines;
		const current = state.helpScroll;
		const target =
			'to' in request
				? request.to === 'home'
					? 0
					: total
				: current + request.delta * (request.by === 'page' ? Math.max(1, room - 1) : 1);
		return { state: { ...state, helpScroll: Math.max(0, Math.min(target, total - room)) } };
	}
	const geometry = geometryOf(state, caps);
	const scrollLine = scrollView(geometry.firstLine, request, geometry.plan.totalLines, geometry.windowLines);
	return { state: { ...state, scrollLine } };
}

const speedText = (speed: number, caps: Capabilities) =>
	caps.ascii ? toAscii(formatPlaySpeed(speed)) : formatPlaySpeed(speed);

/** A replay: the reading the cursor is on, or is on its way to. */
const replayAt = (state: ViewState, caps: Capabilities) => state.seekTo ?? caps.replay?.cursor ?? -1;

function read(state: ViewState, caps: Capabilities, collect: boolean): Outcome {
	const refusal = readRefusal(caps, collect);
	if (refusal) return warn(state, `${collect ? 'g' : 'r'}: ${refusalWords(refusal, caps)}`);
	return { state, effect: { type: 'read', collect } };
}

function seek(state: ViewState, caps: Capabilities, key: string, target: (at: number, count: number) => number) {
	if (caps.mode !== 'replay') return warn(state, `${key}: only a replay steps through readings (heaptop replay FILE)`);
	const count = caps.replay?.count ?? 0;
	if (count === 0) return warn(state, `${key}: the recording has no readings`);
	const at = replayAt(state, caps);
	const index = Math.max(0, Math.min(count - 1, target(at, count)));
	return { state: { ...state, seekTo: index }, effect: { type: 'seek' as const, index } };
}

/** The status line's answer to `a`: one line, the map shows the rest. */
function fitNotice(answer: FitAnswer): string {
	const areas = answer.areas.length;
	const size = formatBytes(answer.bytes);
	if (answer.at)
		return `${size} fits: + marks where gc_alloc would put it, ${placeText(answer.at.area, answer.at.offsetBytes, areas)}`;
	const largest = formatBytes(answer.largestFreeBlocks * answer.bytesPerBlock);
	const grows = answer.newArea ? ' (the port would add a heap area for it)' : '';
	const cheapest = answer.cheapest;
	if (!cheapest) return `${size} fits in no area (largest free run ${largest})${grows}`;
	return `${size} does not fit (largest free run ${largest})${grows}: # marks the ${formatCount(cheapest.objectCount)} in the way at ${placeText(cheapest.area, cheapest.offsetBytes, areas)}`;
}

/** The table. */
export const COMMANDS: readonly CommandEntry[] = [
	{
		id: 'next-step',
		keys: [{ key: 'n' }],
		help: [{ keys: 'n', what: 'next step of the scenario', only: 'demo' }],
		hint: (_state, caps) => (caps.scenarios > 0 && caps.mode === 'live' ? ['n', 'next step'] : undefined),
		run: (state, _arg, caps) =>
			caps.scenarios === 0
				? warn(state, 'n: only the demo has steps (heaptop --demo)')
				: { state, effect: { type: 'next-step' } },
	},
	{
		id: 'collect',
		keys: [{ key: 'g' }],
		help: [{ keys: 'g', what: 'gc.collect(), then read the heap', only: 'live' }],
		hint: (_state, caps) => (caps.mode === 'live' ? ['g', 'collect'] : undefined),
		run: (state, _arg, caps) => read(state, caps, true),
	},
	{
		id: 'step',
		keys: [
			{ key: '[', arg: -1 },
			{ key: ']', arg: 1 },
		],
		help: [{ keys: '[  ]', what: 'one reading back, one reading forward', only: 'replay' }],
		hint: (_state, caps) => (caps.mode === 'replay' ? ['[ ]', 'step'] : undefined),
		run: (state, arg, caps) => {
			const delta = arg ?? 1;
			const key = delta > 0 ? ']' : '[';
			const at = replayAt(state, caps);
			const count = caps.replay?.count ?? 0;
			if (caps.mode === 'replay' && count > 0 && Math.max(0, Math.min(count - 1, at + delta)) === at)
				return warn(state, `${key}: this is the ${delta > 0 ? 'last' : 'first'} reading`);
			return seek(state, caps, key, (from) => from + delta);
		},
	},
	{
		id: 'play',
		keys: [{ key: ' ', only: 'replay' }],
		help: [{ keys: 'space', what: 'play or pause; at the end, play from the first', only: 'replay' }],
		hint: (state, caps) => (caps.mode === 'replay' ? ['space', state.playing ? 'pause' : 'play'] : undefined),
		run: (state, _arg, caps) => {
			if (caps.mode !== 'replay') return { state };
			const count = caps.replay?.count ?? 0;
			if (count === 0) return warn(state, 'space: the recording has no readings');
			if (state.playing) return { state: { ...state, playing: false } };
			// At the end, play means play again from the start.
			if (replayAt(state, caps) >= count - 1)
				return { state: { ...state, playing: true, seekTo: 0 }, effect: { type: 'seek', index: 0 } };
			return { state: { ...state, playing: true } };
		},
	},
	{
		id: 'seek',
		keys: [
			{ key: 'home', arg: -1, only: 'replay' },
			{ key: 'end', arg: 1, only: 'replay' },
		],
		help: [{ keys: 'Home  End', what: 'the first reading, the last reading', only: 'replay' }],
		hint: (_state, caps) => (caps.mode === 'replay' ? ['Home/End', 'first/last'] : undefined),
		run: (state, arg, caps) =>
			seek(state, caps, (arg ?? 1) < 0 ? 'Home' : 'End', (_at, count) => ((arg ?? 1) < 0 ? 0 : count - 1)),
	},
	{
		id: 'zoom-in',
		keys: [{ key: 'z' }],
		help: [{ keys: 'z  Z', what: 'zoom in, zoom out (fewer or more blocks a cell)' }],
		hint: (state, caps) => {
			if (noMap(caps)) return undefined;
			const geometry = geometryOf(state, caps);
			return ['z/Z', geometry.fitted ? 'zoom' : scaleWords(geometry.plan.zoom)];
		},
		run: (state, _arg, caps) => {
			if (noMap(caps)) return warn(state, 'z: no block map to zoom yet');
			const current = geometryOf(state, caps).plan.zoom;
			if (current === 1) return warn(state, 'z: the map is at 1 block a cell already (f fits the whole heap)');
			const zoom = zoomStep(current, -1);
			return info(zoomTo(state, caps, zoom), `map at ${scaleWords(zoom)} (f fits the whole heap)`);
		},
	},
	{
		id: 'zoom-out',
		keys: [{ key: 'Z' }],
		help: [],
		run: (state, _arg, caps) => {
			if (noMap(caps)) return warn(state, 'Z: no block map to zoom yet');
			const geometry = geometryOf(state, caps);
			if (geometry.plan.zoom >= geometry.fitZoom) return warn(state, 'Z: the whole heap is on the screen already');
			const zoom = zoomStep(geometry.plan.zoom, 1);
			if (zoom >= geometry.fitZoom) return info(zoomTo(state, caps, 'fit'), 'map fits the whole heap');
			return info(zoomTo(state, caps, zoom), `map at ${scaleWords(zoom)}`);
		},
	},
	{
		id: 'fit',
		keys: [{ key: 'f' }],
		help: [{ keys: 'f  0', what: 'fit the whole heap on the screen; 1 block a cell (1:1)' }],
		run: (state, _arg, caps) => {
			if (noMap(caps)) return warn(state, 'f: no block map to fit yet');
			if (state.zoom === 'fit') return warn(state, 'f: the map fits the whole heap already');
			return info(zoomTo(state, caps, 'fit'), 'map fits the whole heap');
		},
	},
	{
		id: 'actual-size',
		keys: [{ key: '0' }],
		help: [],
		run: (state, _arg, caps) => {
			if (noMap(caps)) return warn(state, '0: no block map yet');
			if (geometryOf(state, caps).plan.zoom === 1) return warn(state, '0: the map is at 1 block a cell already');
			return info(zoomTo(state, caps, 1), 'map at 1 block a cell: arrows, j/k and PgUp/PgDn scroll');
		},
	},
	{
		id: 'diff',
		keys: [{ key: 'd' }],
		help: [
			{ keys: 'd', what: 'highlight freed and new blocks, or stop', only: 'live' },
			{ keys: 'd', what: 'highlight what changed since the reading before', only: 'replay' },
		],
		hint: () => ['d', 'diff'],
		run: (state, _arg, caps) => {
			if (state.highlight !== 'off') return { state: { ...state, highlight: 'off' } };
			if (caps.mode === 'replay') {
				const at = replayAt(state, caps);
				if (at < 0) return warn(state, 'd: nothing to compare yet: the recording is still loading');
				if (at === 0) return warn(state, 'd: this is the first reading: there is none before it to compare with');
				return { state: { ...state, highlight: 'pinned' } };
			}
			if (!caps.previous || !caps.reading) return warn(state, 'd: nothing to compare yet: a diff needs two readings');
			return { state: { ...state, highlight: 'pinned', diffBase: caps.previous.snapshot } };
		},
	},
	{
		id: 'interval',
		keys: [
			{ key: '+', arg: 1 },
			{ key: '=', arg: 1, alias: true },
			{ key: '-', arg: -1 },
			{ key: '_', arg: -1, alias: true },
		],
		help: [
			{ keys: '+  -', what: 'auto-refresh: off, 0.5, 1, 2, 5 s', only: 'live' },
			{ keys: '+  -', what: 'play speed: 1, 2, 5, 10, 20, 50, 100× the recorded pace', only: 'replay' },
		],
		hint: (state, caps) =>
			caps.mode === 'replay'
				? ['+/-', speedText(state.playSpeed, caps)]
				: caps.canRead
					? ['+/-', `auto ${formatInterval(state.intervalMs)}`]
					: undefined,
		run: (state, arg, caps) => {
			const delta = (arg ?? 1) > 0 ? 1 : -1;
			const key = delta > 0 ? '+' : '-';
			if (caps.mode === 'replay') {
				const speed = stepPlaySpeed(state.playSpeed, delta);
				if (speed === state.playSpeed)
					return warn(state, `${key}: ${speedText(speed, caps)} is the ${delta > 0 ? 'fastest' : 'slowest'}`);
				return info(
					{ ...state, playSpeed: speed },
					`plays at ${speedText(speed, caps)} the recorded pace (each wait 0.05 to 1 s)`,
				);
			}
			if (!caps.canRead) return warn(state, `${key}: ${refusalText.passive}`);
			const next = stepInterval(state.intervalMs, delta);
			if (next === state.intervalMs)
				return warn(
					state,
					next === 0 ? '-: auto-refresh is already off' : `+: ${formatInterval(next)} is the longest interval`,
				);
			return info(
				{ ...state, intervalMs: next, paused: false },
				next === 0 ? 'auto-refresh off (r or g reads)' : `auto-refresh every ${formatInterval(next)}`,
			);
		},
	},
	{
		id: 'pause',
		keys: [{ key: 'p' }],
		help: [{ keys: 'p', what: 'pause or resume auto-refresh', only: 'live' }],
		hint: (state, caps) =>
			caps.mode === 'live' && caps.canRead && state.intervalMs > 0
				? ['p', state.paused ? 'resume' : 'pause']
				: undefined,
		run: (state, _arg, caps) => {
			if (caps.mode === 'replay') return warn(state, 'p: a recording has no auto-refresh; space plays and pauses it');
			if (!caps.canRead) return warn(state, `p: ${refusalText.passive}`);
			if (state.intervalMs === 0) return warn(state, 'p: auto-refresh is off; + turns it on');
			const paused = !state.paused;
			return info(
				{ ...state, paused },
				paused ? 'auto-refresh paused (p resumes)' : `auto-refresh resumed, every ${formatInterval(state.intervalMs)}`,
			);
		},
	},
	{
		id: 'refresh',
		keys: [{ key: 'r' }, { key: ' ', only: 'live' }],
		help: [{ keys: 'r  space', what: 'read the heap now, without collecting', only: 'live' }],
		hint: (_state, caps) => (caps.mode === 'live' ? ['r', 'read'] : undefined),
		run: (state, _arg, caps) => read(state, caps, false),
	},
	{
		id: 'log',
		keys: [{ key: 'o' }],
		help: [{ keys: 'o', what: "the board's output on or off", only: 'live' }],
		hint: (_state, caps) => (caps.mode === 'live' ? ['o', 'output'] : undefined),
		run: (state, _arg, caps) =>
			caps.mode === 'replay'
				? warn(state, "o: a recording keeps the heap's readings, not the board's output")
				: { state: { ...state, log: !state.log } },
	},
	{
		id: 'save',
		keys: [{ key: 's' }],
		help: [{ keys: 's', what: 'save the snapshot as .txt and .json' }],
		hint: () => ['s', 'save'],
		run: (state, _arg, caps) =>
			caps.reading
				? { state, effect: { type: 'save' } }
				: warn(state, 's: nothing to save yet: no reading has arrived'),
	},
	{
		id: 'legend',
		keys: [{ key: 'l' }],
		help: [{ keys: 'l', what: 'legend on or off' }],
		hint: () => ['l', 'legend'],
		run: (state) => ({ state: { ...state, legend: !state.legend } }),
	},
	{
		id: 'blockers',
		keys: [{ key: 'w' }],
		help: [{ keys: 'w', what: 'mark the blockers: objects that split the free memory (X)' }],
		run: (state, _arg, caps) => {
			const snapshot = caps.reading?.snapshot;
			if (!snapshot || snapshot.areas.length === 0) return warn(state, 'w: no block map yet');
			const next = toggleMarker(state, 'blockers');
			if (!next.markers.some((marker) => marker.id === 'blockers')) return info(next, 'blockers no longer marked');
			const largest = largestFreeRunBlocks(snapshot);
			const [top] = findBlockers(snapshot, 1).filter((blocker) => blocker.mergedFreeBlocks > largest);
			if (!top)
				return info(next, 'w: no one object splits the free memory: freeing any one leaves the longest run as it is');
			return info(
				next,
				`X marks the blockers; the first: ${blockerText(top, snapshot.bytesPerBlock, snapshot.areas.length)}`,
			);
		},
	},
	{
		id: 'fit-size',
		keys: [{ key: 'a' }],
		help: [{ keys: 'a', what: 'will N bytes fit (10k)? where (+), or what is in the way (#)' }],
		prompt: {
			label: 'will it fit? size (10240, 10k):',
			parse: (text) => {
				const size = parseSize(text, 'size');
				return size.ok ? size.bytes : undefined;
			},
			invalid: 'a: write a size like 10240, 10k or 1m',
		},
		run: (state, arg, caps) => {
			const snapshot = caps.reading?.snapshot;
			if (arg === undefined) return { state };
			if (!snapshot || snapshot.areas.length === 0) return warn(state, 'a: no block map yet');
			const result = fitAllocation(snapshot, arg);
			if (!result.ok) return warn(state, `a: ${fitProblemText(result.problem)}`);
			const next = toggleMarker(state, 'fit', arg);
			if (!next.markers.some((marker) => marker.id === 'fit'))
				return info(next, `${formatBytes(arg)} no longer marked`);
			return info(next, fitNotice(result.answer));
		},
	},
	{
		id: 'interrupt',
		keys: [{ key: 'i' }],
		help: [{ keys: 'i', what: 'board busy or silent: interrupt it (Ctrl-C), after i again', only: 'live' }],
		// Ctrl-C stops the user's own program: asked twice, so that a stray key cannot do it.
		confirm: {
			text: (caps) =>
				!caps.canInterrupt
					? 'i: only a board runs a program to interrupt'
					: caps.status === 'busy'
						? 'i again: send Ctrl-C to the program running on the board, which stops it'
						: caps.status === 'not-answering'
							? 'i again: send Ctrl-C, which stops a program that prints nothing, or a command a cut-off client left'
							: 'i: the board is not running a program',
		},
		run: (state, _arg, caps) => {
			if (!caps.canInterrupt) return warn(state, 'i: only a board runs a program to interrupt');
			if (caps.status === 'connecting')
				return warn(state, 'i: still finding out whether the board is running a program; try again in a moment');
			if (caps.status !== 'busy' && caps.status !== 'not-answering')
				return warn(state, 'i: the board is not running a program');
			return {
				state,
				effect: { type: 'interrupt' },
				notice: { text: 'interrupting the program on the board (Ctrl-C)…', tone: 'info' },
			};
		},
	},
	{
		id: 'probe',
		keys: [{ key: 'b' }],
		help: [{ keys: 'b', what: 'board: probe the largest allocatable block', only: 'live' }],
		run: (state, _arg, caps) => {
			if (!caps.canProbe) return warn(state, 'b: the probe runs on a board; here the map shows the largest free run');
			if (caps.status !== 'live') return warn(state, `b: ${refusalText[caps.status]}`);
			return {
				state,
				effect: { type: 'probe' },
				notice: { text: 'b: probing the largest allocatable block (a probe: it allocates on the heap)…', tone: 'info' },
			};
		},
	},
	{
		id: 'choose',
		keys: [1, 2, 3, 4, 5, 6, 7, 8, 9].map((digit) => ({ key: String(digit), arg: digit - 1 })),
		help: [{ keys: '1-9', what: 'pick a scenario', only: 'demo' }],
		run: (state, arg, caps) => {
			const index = arg ?? 0;
			if (caps.scenarios === 0) return warn(state, `${index + 1}: only the demo has scenarios (heaptop --demo)`);
			if (index >= caps.scenarios)
				return warn(state, `${index + 1}: there are only ${caps.scenarios} scenarios (? lists them)`);
			return { state, effect: { type: 'choose', index } };
		},
	},
	{
		id: 'scroll',
		keys: [
			{ key: 'up', arg: -1 },
			{ key: 'k', arg: -1 },
			{ key: 'down', arg: 1 },
			{ key: 'j', arg: 1 },
			{ key: 'pageup', arg: -2 },
			{ key: 'pagedown', arg: 2 },
			{ key: 'home', arg: -3, only: 'live' },
			{ key: 'end', arg: 3, only: 'live' },
		],
		help: [
			{ keys: 'Up Down j k PgUp PgDn Home End', what: 'scroll the map (and this help)', only: 'live' },
			{ keys: 'Up Down j k PgUp PgDn', what: 'scroll the map (and this help)', only: 'replay' },
		],
		inHelp: true,
		run: (state, arg, caps) => {
			const value = arg ?? 1;
			const delta = Math.sign(value);
			if (Math.abs(value) === 3) return scrollBy(state, caps, { to: value < 0 ? 'home' : 'end' });
			return scrollBy(state, caps, { by: Math.abs(value) === 2 ? 'page' : 'line', delta });
		},
	},
	{
		id: 'repaint',
		keys: [{ key: 'ctrl-l' }],
		help: [{ keys: 'Ctrl-L', what: 'repaint the whole screen' }],
		inHelp: true,
		run: (state) => ({ state: { ...state, repaints: state.repaints + 1 }, effect: { type: 'repaint' } }),
	},
	{
		id: 'help',
		keys: [{ key: '?' }, { key: 'h' }, { key: 'f1' }, { key: 'escape', arg: 0 }],
		help: [{ keys: '?  h  F1  Esc', what: 'open or close this help' }],
		hint: () => ['?', 'help'],
		inHelp: true,
		// Esc only closes: open, it would surprise a user who pressed it to get out of something else.
		run: (state, arg) =>
			arg === 0 && !state.help ? { state } : { state: { ...state, help: !state.help, helpScroll: 0 } },
	},
	{
		id: 'quit',
		keys: [{ key: 'q' }, { key: 'ctrl-c' }, { key: 'f10' }],
		help: [{ keys: 'q  Ctrl-C  F10', what: 'quit' }],
		hint: () => ['q', 'quit'],
		inHelp: true,
		run: (state) => ({ state, effect: { type: 'quit' } }),
	},
];

/** Every line of help in the table, in order (`heaptop --help` lists the keys from it). */
export const KEY_HELP: readonly HelpLine[] = COMMANDS.flatMap((entry) => entry.help);
