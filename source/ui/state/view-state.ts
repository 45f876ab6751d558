import { clampScroll } from '../../present/map-layout.js';
import { DEFAULT_PLAY_SPEED } from './replay-pace.js';

/**
 * The UI's own state (what the user chose to look at), as a pure reducer: zoom, scroll, toggles, interval.
 * Readings and source status live in `use-heap-source.ts`; this never touches a source.
 */

/** Auto-refresh steps of `+` and `-`, in ms; 0 is off. */
export const INTERVAL_STEPS_MS: readonly number[] = [0, 500, 1000, 2000, 5000];

/** How the diff highlight stands: off, shown for a moment after a collect, or kept on with `d`. */
export type Highlight = 'off' | 'moment' | 'pinned';

/** What the user is looking at. */
export type ViewState = {
	zoom: number;
	scrollLine: number;
	legend: boolean;
	help: boolean;
	log: boolean;
	intervalMs: number;
	paused: boolean;
	highlight: Highlight;
	/** A replay only: playing through the readings, and how many times the recorded pace. */
	playing: boolean;
	playSpeed: number;
};

/** The state at start; the interval is the nearest step to `intervalMs`. */
export function initialViewState(intervalMs: number): ViewState {
	let nearest = 0;
	for (const step of INTERVAL_STEPS_MS) {
		if (Math.abs(step - intervalMs) < Math.abs(nearest - intervalMs)) nearest = step;
	}
	return {
		zoom: 1,
		scrollLine: 0,
		legend: true,
		help: false,
		log: false,
		intervalMs: nearest,
		paused: false,
		highlight: 'off',
		playing: false,
		playSpeed: DEFAULT_PLAY_SPEED,
	};
}

/** `+` (1) or `-` (-1) from the current interval; stays at either end. */
export function stepInterval(intervalMs: number, delta: 1 | -1): number {
	const index = INTERVAL_STEPS_MS.indexOf(intervalMs);
	const next = INTERVAL_STEPS_MS[Math.max(0, Math.min(INTERVAL_STEPS_MS.length - 1, index + delta))];
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
