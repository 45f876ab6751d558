/**
 * When auto-refresh takes the next reading, and what kind. Pure: times come in, a plan goes out.
 *
 * The link is shared with the user's own program: its output reaches the terminal only between readings. So:
 * - a reading never starts before the last one (of any kind, the user's own included) has finished;
 * - reading never takes more than half of the link's time: after a reading that took D, the link is left
 *   alone for at least D, counted from its end; at a long interval the interval is what spaces readings;
 * - when a whole dump takes longer than `lightAfterMs` (a big heap on a slow link), the time between dumps is
 *   filled with light readings (the GC's two totals in one short line), one per interval, for the GC panel and
 *   the history; a light reading's own time counts against the dump's half too, so the share stays within it.
 */

/** A reading that happened: what it was, and when it held the link. */
export type ReadSpan = { kind: 'full' | 'light'; startMs: number; endMs: number };

export type RefreshInput = {
	/** The interval the user chose; 0 is off. */
	intervalMs: number;
	/** The last whole dump, if any. */
	lastFull?: ReadSpan;
	/** Light readings since `lastFull` ended, oldest first. */
	lightsSinceFull: readonly ReadSpan[];
	/** True while any reading is under way: nothing is planned until it ends. */
	inFlight: boolean;
	/** True when the source can take a light reading. */
	canReadLight: boolean;
	nowMs: number;
};

/** The next reading: its kind and the time to start it (never before `nowMs`). */
export type RefreshPlan = { kind: 'full' | 'light'; atMs: number };

/** A whole dump slower than this has light readings between dumps. */
export const LIGHT_AFTER_MS = 1000;

/** The largest share of the link's time reading may take. */
export const MAX_LINK_SHARE = 0.5;

function duration(span: ReadSpan): number {
	return Math.max(0, span.endMs - span.startMs);
}

/** The next reading to take, or undefined when auto-refresh is off or a reading is under way. */
export function planRefresh(input: RefreshInput, lightAfterMs = LIGHT_AFTER_MS): RefreshPlan | undefined {
	const { intervalMs, lastFull, lightsSinceFull, nowMs } = input;
	if (intervalMs <= 0 || input.inFlight) return undefined;
	if (lastFull === undefined) return { kind: 'full', atMs: nowMs };
	const dumpMs = duration(lastFull);
	const lightMs = lightsSinceFull.reduce((sum, span) => sum + duration(span), 0);
	const lastEnd = Math.max(lastFull.endMs, ...lightsSinceFull.map((span) => span.endMs));
	// When the dump alone would allow the next one: an interval after it started, and idle as long as it read.
	const dumpDue = Math.max(lastFull.startMs + intervalMs, lastFull.startMs + dumpMs / MAX_LINK_SHARE);
	// The light readings taken meanwhile count too, so over the whole cycle the share stays within the limit.
	const fullAt = Math.max(dumpDue, lastFull.startMs + (dumpMs + lightMs) / MAX_LINK_SHARE, lastEnd);
	if (input.canReadLight && dumpMs > lightAfterMs) {
		const lastLight = lightsSinceFull.at(-1);
		const lightGuessMs = lastLight ? duration(lastLight) : 0;
		// One light reading per interval, idle at least as long as the last one took after it.
		const lightAt = Math.max(
			(lastLight?.startMs ?? lastFull.endMs) + intervalMs,
			lastLight ? lastLight.endMs + lightGuessMs : lastFull.endMs,
		);
		// Light readings fill only the dump's own idle time (before `dumpDue`, which they do not move), so
		// they can delay the next dump by their own share at most, never put it off for good.
		if (lightAt + lightGuessMs < dumpDue) return { kind: 'light', atMs: Math.max(nowMs, lightAt) };
	}
	return { kind: 'full', atMs: Math.max(nowMs, fullAt) };
}

/** The share of [fromMs, toMs) during which the link was reading: for the bench and the tests. */
export function linkShare(spans: readonly ReadSpan[], fromMs: number, toMs: number): number {
	if (toMs <= fromMs) return 0;
	let busy = 0;
	for (const span of spans) busy += Math.max(0, Math.min(span.endMs, toMs) - Math.max(span.startMs, fromMs));
	return busy / (toMs - fromMs);
}
