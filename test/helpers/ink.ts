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

/**
 * Turns the event loop until `check` passes, for work that leaves the loop (a file write in the thread pool),
 * giving up after `deadlineMs`; returns whether it passed. It never sleeps a fixed time: it returns as soon as
 * the check passes.
 */
export async function until(check: () => boolean, deadlineMs = 10_000): Promise<boolean> {
	const end = Date.now() + deadlineMs;
	while (!check()) {
		if (Date.now() > end) return false;
		await new Promise<void>((resolve) => setImmediate(resolve));
	}
	return true;
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
