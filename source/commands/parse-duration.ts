/** Durations as people type them on the command line: `1s`, `500ms`, `0.5`, `2m`. A bare number is seconds. */
export type DurationResult = { ok: true; ms: number } | { ok: false; message: string };

const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m)?$/i;

/** Parses a duration into ms; `what` names the flag in the message. */
export function parseDuration(text: string, what: string): DurationResult {
	const match = DURATION.exec(text.trim());
	if (!match?.[1]) return { ok: false, message: `${what} "${text}" is not a duration; write it like 1s, 500ms or 2m` };
	const unit = (match[2] ?? 's').toLowerCase();
	const ms = Number(match[1]) * (unit === 'ms' ? 1 : unit === 'm' ? 60_000 : 1000);
	return { ok: true, ms };
}
