/**
 * How fast a replay plays, without React or timers: the recorded gaps between readings, sped up and kept
 * between two bounds, so that readings taken a second apart flick by and a recording with an hour between
 * two collects does not make the user wait an hour.
 */

/** Play speeds of `+` and `-` in a replay, as multiples of the recorded pace. */
export const PLAY_SPEEDS: readonly number[] = [1, 2, 5, 10, 20, 50, 100];

/** The speed a replay starts at: a session read once a second plays at 10 readings a second. */
export const DEFAULT_PLAY_SPEED = 10;

/** No wait is shorter: 20 readings a second is about what a terminal redraw at 15 fps can show. */
export const MIN_PLAY_WAIT_MS = 50;

/** No wait is longer, whatever the recorded gap: a long pause in the recording plays as one second. */
export const MAX_PLAY_WAIT_MS = 1000;

/** The wait before showing a reading taken at `toAtMs` after one taken at `fromAtMs`, at `speed`. */
export function playWaitMs(fromAtMs: number, toAtMs: number, speed: number): number {
	const gapMs = (toAtMs - fromAtMs) / speed;
	// Readings taken at the same instant and a clock that stepped back between two readings (two sessions
	// appended to one file) get the shortest wait.
	if (!(gapMs > MIN_PLAY_WAIT_MS)) return MIN_PLAY_WAIT_MS;
	return Math.round(Math.min(MAX_PLAY_WAIT_MS, gapMs));
}

/** `+` (1) or `-` (-1) from the current speed; stays at either end. */
export function stepPlaySpeed(speed: number, delta: 1 | -1): number {
	const index = PLAY_SPEEDS.indexOf(speed);
	if (index < 0) return DEFAULT_PLAY_SPEED;
	return PLAY_SPEEDS[Math.max(0, Math.min(PLAY_SPEEDS.length - 1, index + delta))] ?? speed;
}

/** `10×`. */
export function formatPlaySpeed(speed: number): string {
	return `${speed}×`;
}
