import type { HeapSnapshot } from '../../heap/model.js';
import { clampScroll } from '../../present/map-layout.js';
import { DEFAULT_PLAY_SPEED } from './replay-pace.js';

/**
 * The UI's own state (what the user chose to look at, and what the screen says to the user): zoom, scroll,
 * toggles, interval, the notice, the diff base. It changes only in `reducer.ts`. Readings and source status
 * live in `use-heap-source.ts`; this never touches a source.
 */

/** Auto-refresh steps of `+` and `-`, in ms; 0 is off. */
export const INTERVAL_STEPS_MS: readonly number[] = [0, 500, 1000, 2000, 5000];

/** How the diff highlight stands: off, shown for a moment after a collect, or kept on with `d`. */
export type Highlight = 'off' | 'moment' | 'pinned';

/** The map's scale: the whole heap packed into the space, or so many blocks a cell (1 is 1:1). */
export type Zoom = 'fit' | number;

/** A one-line message in the status line; `seq` tells one notice from the next with the same words. */
export type Notice = { text: string; tone: 'info' | 'warn' | 'error' };

/** A notice as the state holds it: numbered, so that its timer ends this one and not a later one. */
export type ShownNotice = Notice & { seq: number; long?: boolean };

/** A map marker turned on (see `map-marks.ts`): its id, and the value it was asked with (a size). */
export type ActiveMarker = { id: string; value?: number };

/** A command waiting for typed text (a size), shown in the status line until Enter or Esc. */
export type Prompt = { command: string; label: string; text: string };

/** What the user is looking at. */
export type ViewState = {
	zoom: Zoom;
	scrollLine: number;
	legend: boolean;
	help: boolean;
	/** First line of the help shown, when the help is longer than the screen. */
	helpScroll: number;
	log: boolean;
	intervalMs: number;
	paused: boolean;
	highlight: Highlight;
	/** A live source: the snapshot the diff compares with (a replay always compares with the reading before). */
	diffBase?: HeapSnapshot;
	/** A replay only: playing through the readings, and how many times the recorded pace. */
	playing: boolean;
	playSpeed: number;
	/** A replay: the reading asked for and not yet shown, so that keys in one chunk each step on. */
	seekTo?: number;
	notice?: ShownNotice;
	noticeSeq: number;
	/** A command that acts on its second press: which, and when the first was (ms since the epoch). */
	armed?: { command: string; atMs: number };
	prompt?: Prompt;
	markers: readonly ActiveMarker[];
	/** Counts Ctrl-L presses: the frame writer repaints the whole screen on each. */
	repaints: number;
};

/** The state at start; the interval is the nearest step to `intervalMs`, the map fits the heap. */
export function initialViewState(intervalMs: number, notice?: string): ViewState {
	let nearest = 0;
	for (const step of INTERVAL_STEPS_MS) {
		if (Math.abs(step - intervalMs) < Math.abs(nearest - intervalMs)) nearest = step;
	}
	const state: ViewState = {
		zoom: 'fit',
		scrollLine: 0,
		legend: true,
		help: false,
		helpScroll: 0,
		log: false,
		intervalMs: nearest,
		paused: false,
		highlight: 'off',
		playing: false,
		playSpeed: DEFAULT_PLAY_SPEED,
		noticeSeq: 0,
		markers: [],
		repaints: 0,
	};
	if (notice !== undefined) {
		state.notice = { text: notice, tone: 'info', seq: 1, long: true };
		state.noticeSeq = 1;
	}
	return state;
}

/** `+` (1) or `-` (-1) from the current interval; stays at either end. */
export function stepInterval(intervalMs: number, delta: number): number {
	const index = INTERVAL_STEPS_MS.indexOf(intervalMs);
	const next = INTERVAL_STEPS_MS[Math.max(0, Math.min(INTERVAL_STEPS_MS.length - 1, index + Math.sign(delta)))];
	return next ?? intervalMs;
}

/** `off`, `0.5 s`, `2 s`. */
export function formatInterval(intervalMs: number): string {
	return intervalMs === 0 ? 'off' : `${intervalMs / 1000} s`;
}

/** Scrolls by lines or pages, or to an end, and keeps the window inside the map. */
export function scrollView(
	scrollLine: number,
	request: { by: 'line' | 'page'; delta: number } | { to: 'home' | 'end' },
	totalLines: number,
	windowLines: number,
): number {
	let target: number;
	if ('to' in request) target = request.to === 'home' ? 0 : totalLines;
	else target = scrollLine + request.delta * (request.by === 'page' ? Math.max(1, windowLines - 1) : 1);
	return clampScroll(target, totalLines, windowLines);
}

/**
 * Turns a map marker on (with its value) or, when it is on with the same value, off: what a command that
 * marks the map does with the view. A new value replaces the old one.
 */
export function toggleMarker(state: ViewState, id: string, value?: number): ViewState {
	const current = state.markers.find((marker) => marker.id === id);
	const others = state.markers.filter((marker) => marker.id !== id);
	if (current && current.value === value) return { ...state, markers: others };
	return { ...state, markers: [...others, value === undefined ? { id } : { id, value }] };
}
