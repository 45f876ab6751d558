import type { Reading } from '../../sources/source.js';

/**
 * The line that says where a replay stands, without React: which reading of how many, when it was taken,
 * whether a collect came just before it, and whether it is playing.
 */

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** A recording's time as a date, or undefined when it is none (1e300, -Infinity from a damaged file). */
function dateOf(atMs: number): Date | undefined {
	const date = new Date(atMs);
	return Number.isNaN(date.getTime()) ? undefined : date;
}

/** `14:02:03.120`, in the viewer's local time. */
export function formatClock(atMs: number): string {
	const date = dateOf(atMs);
	if (date === undefined) return 'unknown time';
	return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/** `2025-01-02`, in the viewer's local time. */
export function formatDate(atMs: number): string {
	const date = dateOf(atMs);
	if (date === undefined) return 'unknown date';
	return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** Time since the first reading: `+0.4 s`, `+12 s`, `+3 min`, `+2.5 h`. */
export function formatElapsed(elapsedMs: number): string {
	// A time from a damaged recording can be anything; beyond a year it says nothing a user can use.
	if (!Number.isFinite(elapsedMs) || Math.abs(elapsedMs) > 366 * 24 * 3600 * 1000) return '+?';
	const seconds = Math.max(0, elapsedMs) / 1000;
	if (seconds < 10) return `+${seconds.toFixed(1)} s`;
	if (seconds < 120) return `+${Math.round(seconds)} s`;
	if (seconds < 120 * 60) return `+${Math.round(seconds / 60)} min`;
	return `+${(seconds / 3600).toFixed(1)} h`;
}

/** Where a replay stands, as the caption needs it. */
export type ReplayCaptionInput = {
	/** 0-based index of the reading shown. */
	index: number;
	count: number;
	reading: Reading;
	/** The recording's first reading (its figures are enough), for the time since the start. */
	first: { atMs: number };
	playing: boolean;
	/** The play speed, already formatted: `10×`. */
	speed: string;
};

/** `reading 12 of 40 · 14:02:03.120 (+4.3 s) · after collect · playing at 10×`. */
export function replayCaption(input: ReplayCaptionInput): string {
	const { index, count, reading } = input;
	const parts = [
		`reading ${index + 1} of ${count}`,
		`${formatClock(reading.atMs)} (${formatElapsed(reading.atMs - input.first.atMs)})`,
		reading.afterCollect ? 'after collect' : 'no collect before',
	];
	if (reading.incomplete) parts.push('damaged dump');
	parts.push(input.playing ? `playing at ${input.speed}` : index === count - 1 ? 'the end' : 'paused');
	return parts.join(' · ');
}
