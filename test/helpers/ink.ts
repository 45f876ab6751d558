/** Helpers for tests that drive Ink through ink-testing-library. */

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching the escape character is the point.
const SGR = /\u001b\[[0-9;]*m/g;

/** The frame without colour sequences. */
export function plain(frame: string | undefined): string {
	return (frame ?? '').replace(SGR, '');
}

/** Lets pending promises, effects and Ink's input handling run: a few turns of the event loop, no timer. */
export async function settle(turns = 20): Promise<void> {
	for (let turn = 0; turn < turns; turn++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Turns the event loop until `check` passes or `maxTurns` turns went by; returns whether it passed. */
export async function until(check: () => boolean, maxTurns = 500): Promise<boolean> {
	for (let turn = 0; turn < maxTurns; turn++) {
		if (check()) return true;
		await new Promise<void>((resolve) => setImmediate(resolve));
	}
	return check();
}

/** Key sequences as a terminal sends them. */
export const KEYS = {
	up: '\u001b[A',
	down: '\u001b[B',
	pageDown: '\u001b[6~',
	pageUp: '\u001b[5~',
	home: '\u001b[H',
	end: '\u001b[F',
	escape: '\u001b',
	ctrlC: '\u0003',
} as const;
