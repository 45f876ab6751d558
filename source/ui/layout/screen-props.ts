import type { HistoryPoint } from '../../heap/analyze.js';
import { diffSnapshots, type HeapDiff } from '../../heap/diff.js';
import type { HeapSnapshot } from '../../heap/model.js';
import { toAscii } from '../../present/ascii.js';
import { formatBytes } from '../../present/format.js';
import { largestFreeHighlight, type MapHighlight } from '../../present/map-marks.js';
import type { AreaMarks } from '../../present/map-rows.js';
import type { Painter } from '../../present/paint.js';
import { wrapWords } from '../../present/text-fit.js';
import type { ScenarioStep } from '../../sources/source.js';
import { formatAge, type UiStatus } from '../components/header.js';
import type { ScreenProps } from '../components/screen.js';
import type { HeapSourceState } from '../hooks/use-heap-source.js';
import type { Capabilities } from '../state/command-types.js';
import { helpFor, hintsFor } from '../state/reducer.js';
import { formatPlaySpeed } from '../state/replay-pace.js';
import { formatInterval, type Notice, type ViewState } from '../state/view-state.js';
import type { Glyphs } from '../text/glyphs.js';
import { helpTextLines } from '../text/help-text.js';
import { legendLines } from '../text/panels.js';
import { formatDate, replayCaption } from '../text/replay-caption.js';
import { frameGeometry } from './frame-geometry.js';
import { MAP_MARKERS } from './map-markers.js';
import { metricsOf } from './metrics.js';
import type { OverlaySink } from './overlay.js';

/**
 * One frame's props from the state, as a pure function: the App calls it on every render and the bench
 * calls it to build the frames it times, so both draw the same screen from the same state. The costly parts
 * (analysis, diff, legend) are memoised on the immutable snapshots they come from.
 */

/** Everything a frame is made from. */
export type ScreenInput = {
	view: ViewState;
	heap: HeapSourceState;
	/** The same capabilities the reducer gets (sizes, source abilities). */
	caps: Capabilities;
	description: string;
	/** A replay: the first reading's figures, for the caption's elapsed time. */
	replayFirst?: HistoryPoint;
	scenarios?: readonly { name: string; title: string }[];
	painter: Painter;
	glyphs: Glyphs;
	now?: () => number;
	mapOverlay?: OverlaySink;
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

const diffCache = new WeakMap<HeapSnapshot, WeakMap<HeapSnapshot, HeapDiff>>();
function diffOf(before: HeapSnapshot, after: HeapSnapshot): HeapDiff {
	let byAfter = diffCache.get(before);
	if (!byAfter) {
		byAfter = new WeakMap();
		diffCache.set(before, byAfter);
	}
	let diff = byAfter.get(after);
	if (!diff) {
		diff = diffSnapshots(before, after);
		byAfter.set(after, diff);
	}
	return diff;
}

const legendCache = new WeakMap<Painter, Map<string, { snapshot: HeapSnapshot | undefined; lines: string[] }>>();
/** The legend's lines at a width, with the map's marks first; kept while the snapshot and marks are the same. */
export function legendOf(
	snapshot: HeapSnapshot | undefined,
	width: number,
	painter: Painter,
	highlights: readonly MapHighlight[] = highlightsOf(snapshot, []),
): string[] {
	let byWidth = legendCache.get(painter);
	if (!byWidth) {
		byWidth = new Map();
		legendCache.set(painter, byWidth);
	}
	const key = `${width}|${highlights.map((entry) => `${entry.letter}${entry.label}`).join('|')}`;
	const cached = byWidth.get(key);
	if (cached && cached.snapshot === snapshot) return cached.lines;
	const lines = legendLines(snapshot, width, painter, highlights);
	byWidth.set(key, { snapshot, lines });
	return lines;
}

/**
 * What the map marks on a snapshot: the largest free run always, then each marker the user turned on
 * (`MAP_MARKERS`, fed by the "why" analysis), in the order they were turned on.
 */
export function highlightsOf(snapshot: HeapSnapshot | undefined, markers: ViewState['markers']): MapHighlight[] {
	if (!snapshot || snapshot.areas.length === 0) return [];
	// Worked out once per snapshot and markers: finding the largest run walks the whole map.
	const key = markers.map((marker) => `${marker.id}=${marker.value ?? ''}`).join(',');
	const cached = highlightCache.get(snapshot);
	if (cached && cached.key === key) return cached.value;
	const out: MapHighlight[] = [];
	const largest = largestFreeHighlight(snapshot);
	if (largest) out.push(largest);
	for (const marker of markers) {
		const made = MAP_MARKERS[marker.id]?.(snapshot, marker.value);
		if (made) out.push(made);
	}
	highlightCache.set(snapshot, { key, value: out });
	return out;
}

const highlightCache = new WeakMap<HeapSnapshot, { key: string; value: MapHighlight[] }>();

/** The caption above the map: the demo's step, or where a replay stands. */
export function captionOf(input: {
	view: ViewState;
	heap: HeapSourceState;
	replayFirst?: HistoryPoint;
	ascii: boolean;
}): string | undefined {
	const { heap, view, ascii } = input;
	const speed = ascii ? toAscii(formatPlaySpeed(view.playSpeed)) : formatPlaySpeed(view.playSpeed);
	const text =
		stepCaption(heap.step) ??
		(heap.replay && heap.reading && input.replayFirst
			? replayCaption({
					index: heap.replay.index,
					count: heap.replay.count,
					reading: heap.reading,
					first: input.replayFirst,
					playing: view.playing,
					speed,
				})
			: undefined);
	return text !== undefined && ascii ? toAscii(text) : text;
}

/** Lines the caption takes at a width (0 without a caption). */
export function captionLineCount(caption: string | undefined, columns: number): number {
	return caption === undefined ? 0 : Math.max(1, wrapWords(caption, columns - 2).length);
}

/** The help's lines for a source at a width (the reducer scrolls by their count). */
export function helpOf(input: {
	mode: Capabilities['mode'];
	scenarios: readonly { name: string; title: string }[] | undefined;
	columns: number;
	ascii: boolean;
	painter: Painter;
	glyphs: Glyphs;
}): string[] {
	const demo = (input.scenarios?.length ?? 0) > 0;
	return helpTextLines({
		lines: helpFor({ mode: input.mode, demo }),
		...(demo && input.scenarios ? { scenarios: input.scenarios } : {}),
		width: input.columns - 4,
		ascii: input.ascii,
		painter: input.painter,
		glyphs: input.glyphs,
	});
}

/** `reading… 4,100 B of ~9,000 B`: how far a dump that streams in has come (the size expected is the last one's). */
export function progressNotice(heap: HeapSourceState, glyphs: Glyphs): Notice | undefined {
	const progress = heap.progress;
	if (!heap.readInFlight || !progress) return undefined;
	const expected = progress.expectedBytes === undefined ? '' : ` of ~${formatBytes(progress.expectedBytes)}`;
	return { text: `reading${glyphs.ellipsis} ${formatBytes(progress.receivedBytes)}${expected}`, tone: 'info' };
}

/** A reading under way this long without an answer makes the header say `not answering`. */
export const NOT_ANSWERING_MS = 5000;

/**
 * What the header says of the source, and only what is true now: live with its interval, `auto off`,
 * `paused`, `listening`, `busy`, `not answering` (a reading asked for and no answer yet), `disconnected`.
 */
export function statusOf(
	view: ViewState,
	heap: HeapSourceState,
	caps: Capabilities,
): { status: UiStatus; statusText: string } {
	const said = (status: UiStatus, statusText: string = status) => ({ status, statusText });
	if (heap.status !== 'live') return said(heap.status, heap.status.replace('-', ' '));
	if (caps.mode === 'replay') return said('replay');
	// Silence counts from the last bytes of a dump streaming in, else from the start of the reading.
	const heardAtMs = heap.progress?.atMs ?? heap.readStartedAtMs;
	if (heap.readInFlight && heardAtMs !== undefined && caps.nowMs - heardAtMs >= NOT_ANSWERING_MS)
		return said('not-answering', 'not answering');
	if (!caps.canRead) return said('listening');
	if (view.intervalMs === 0) return said('auto-off', 'auto off');
	if (view.paused) return said('paused');
	return said('live', `live every ${formatInterval(view.intervalMs)}`);
}

/** The frame's props. */
export function screenProps(input: ScreenInput): ScreenProps {
	const { view, heap, caps, painter, glyphs } = input;
	const ascii = caps.ascii;
	const replay = caps.mode === 'replay';
	const reading = heap.reading;
	const snapshot = reading?.snapshot;
	const metrics = snapshot ? metricsOf(snapshot) : undefined;
	const caption = captionOf({
		view,
		heap,
		...(input.replayFirst ? { replayFirst: input.replayFirst } : {}),
		ascii,
	});
	const highlights = highlightsOf(snapshot, view.markers);
	const legend = legendOf(snapshot, caps.columns - 1, painter, highlights);
	// Before the first whole reading, a dump streaming in is laid out as itself.
	const streaming = heap.readInFlight ? heap.progress?.partial : undefined;
	const { layout, geometry } = frameGeometry(view, {
		snapshot: snapshot ?? streaming,
		columns: caps.columns,
		rows: caps.rows,
		captionLines: captionLineCount(caption, caps.columns),
		legendLines: legend.length,
	});
	// The diff: a replay's is always against the reading before the one shown; a live one's against the
	// snapshot the last collect (or d) chose.
	const base = view.highlight === 'off' ? undefined : replay ? heap.previous?.snapshot : view.diffBase;
	const diff = base && snapshot ? diffOf(base, snapshot) : undefined;
	const marks: AreaMarks | undefined =
		diff && snapshot
			? snapshot.areas.map((area) => diff.areas.find((candidate) => candidate.address === area.address)?.marks)
			: undefined;
	const { status, statusText } = statusOf(view, heap, caps);
	const said =
		view.notice ??
		(heap.statusMessage ? { text: heap.statusMessage, tone: heap.status === 'error' ? 'error' : 'info' } : undefined);
	// Notices and source messages are written in Unicode; in ASCII they get the same stand-ins as the rest.
	// A read in progress says how far it has come, over an info notice (a warning stays until it goes).
	const progress = progressNotice(heap, glyphs);
	const told = said && (said.tone !== 'info' || !progress) ? said : (progress ?? said);
	const notice = told && ascii ? { ...told, text: toAscii(told.text) } : told;
	const help = view.help
		? helpOf({ mode: caps.mode, scenarios: input.scenarios, columns: caps.columns, ascii, painter, glyphs })
		: [];
	const props: ScreenProps = {
		layout,
		rows: caps.rows,
		description: ascii ? toAscii(input.description) : input.description,
		status,
		statusText,
		geometry,
		legend,
		points: heap.points,
		lowWater: heap.lowWater,
		logLines: heap.logLines,
		help: view.help,
		helpLines: help,
		helpScroll: view.helpScroll,
		hints: hintsFor(view, caps),
		ascii,
		painter,
		glyphs,
	};
	if (reading) props.lastAtMs = reading.atMs;
	// Light readings between dumps: the GC figures are newer than the map, and the map says how old it is.
	if (reading && heap.light && heap.light.atMs >= reading.atMs && !replay) {
		props.light = heap.light;
		props.lastAtMs = heap.light.atMs;
		props.mapAge = `map ${formatAge(caps.nowMs - reading.atMs).replace(/ ago$/, ' old')}`;
	}
	if (replay && reading) props.when = formatDate(reading.atMs);
	if (replay) props.firstKey = REPLAY_FIRST_KEY;
	if (snapshot) props.snapshot = snapshot;
	if (metrics) props.metrics = metrics;
	// A dump streaming in fills the map row by row over the last whole one; its marks wait for the whole.
	if (streaming && streaming.areas.length > 0) props.mapSnapshot = streaming;
	else {
		if (marks) props.marks = marks;
		if (highlights.length > 0) props.highlights = highlights;
	}
	if (diff) props.diff = diff;
	if (replay) props.historyCursor = heap.replay?.pointIndex ?? -1;
	if (caption !== undefined) props.caption = caption;
	if (notice) props.notice = notice;
	if (input.now) props.now = input.now;
	if (input.mapOverlay) props.mapOverlay = input.mapOverlay;
	return props;
}
