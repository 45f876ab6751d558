/**
 * How fast a replay plays, without React or timers: the recorded gaps between readings, sped up and kept
 * between two bounds, so that readings taken a second apart flick by and a recording with an hour between
 * two collects does not make the user wait an hour. Readings closer together than the shortest wait at the
 * speed chosen are passed over while playing (`[` and `]` still show every one), so that 100× really is
 * ten times faster than 10× on a dense recording.
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

/** While playing from reading `index`: the next reading to show, and the wait before showing it. */
export function nextPlayStep(
	readings: readonly { atMs: number }[],
	index: number,
	speed: number,
): { index: number; waitMs: number } | undefined {
	const last = readings.length - 1;
	if (index < 0 || index >= last) return undefined;
	let next = index + 1;
	// Recorded time passed, gap by gap, counting a clock that stepped back as no time rather than as a debt
	// that would pass over the rest of the recording.
	let elapsedMs = 0;
	const gapAt = (at: number) => Math.max(0, (readings[at]?.atMs ?? 0) - (readings[at - 1]?.atMs ?? 0));
	elapsedMs += gapAt(next);
	// The last reading is always shown: playing ends there.
	while (next < last && elapsedMs / speed < MIN_PLAY_WAIT_MS) {
		next++;
		elapsedMs += gapAt(next);
	}
	return { index: next, waitMs: playWaitMs(0, elapsedMs, speed) };
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
