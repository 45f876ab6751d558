/**
 * The errors that reach the user as one line. `cli.tsx` prints `heaptop: <message>` and exits with the
 * code; anything else is a bug and gets a stack trace.
 */

/** Bad flags or bad input: exit 2. */
export class UsageError extends Error {
	readonly exitCode = 2;
	override name = 'UsageError';
}

/** Something at run time failed (port busy, board not responding): exit 1. */
export class RuntimeFailure extends Error {
	readonly exitCode = 1;
	override name = 'RuntimeFailure';
}

/** True for an error meant for the user as one line. */
export function isUserError(error: unknown): error is UsageError | RuntimeFailure {
	return error instanceof UsageError || error instanceof RuntimeFailure;
}

/** What heaptop says of its own failure (a bug, a build with a file missing): the stack, to be reported. */
export function internalErrorText(error: unknown): string {
	return `heaptop: internal error, please report it:\n${error instanceof Error ? error.stack : String(error)}\n`;
}
