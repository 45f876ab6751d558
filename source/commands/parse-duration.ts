/** Durations as people type them on the command line: `1s`, `500ms`, `0.5`, `2m`. A bare number is seconds. */
export type DurationResult = { ok: true; ms: number } | { ok: false; message: string };

const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m)?$/i;

/**
 * The longest wait Node's timers hold (2^31 - 1 ms, about 24.8 days): past it `setTimeout` warns with
 * TimeoutOverflowWarning and fires after 1 ms instead, so a longer duration is refused here.
 */
export const maxDurationMs = 2 ** 31 - 1;

/** Parses a duration into whole ms; `what` names the flag in the message. Negative or too long is refused. */
export function parseDuration(text: string, what: string): DurationResult {
	const match = DURATION.exec(text.trim());
	if (!match?.[1]) {
		const shown = text === '' ? 'an empty value' : `"${text}"`;
		return { ok: false, message: `${what} takes a duration like 1s, 500ms or 2m, not ${shown}` };
	}
	const unit = (match[2] ?? 's').toLowerCase();
	const ms = Math.round(Number(match[1]) * (unit === 'ms' ? 1 : unit === 'm' ? 60_000 : 1000));
	if (ms > maxDurationMs) {
		return { ok: false, message: `${what} takes a duration of at most 24 days, not "${text}"` };
	}
	return { ok: true, ms };
}
