import { useEffect, useRef, useState } from 'react';
import { planRefresh, type ReadSpan } from '../state/refresh-policy.js';

/** What auto-refresh asks for; the answer says whether a reading started. */
export type RefreshRead = (kind: 'full' | 'light') => boolean;

export type AutoRefreshOptions = {
	/** The interval the user chose; 0 is off. */
	intervalMs: number;
	enabled: boolean;
	/** True while any reading is under way, auto-refresh's or the user's own: each one holds the link. */
	readInFlight: boolean;
	/** True when the source can take a light reading (the GC's totals in one short line). */
	canReadLight: boolean;
	/** The clock, for tests. */
	now?: () => number;
};

/**
 * Auto-refresh by the pure policy in `refresh-policy.ts`: the next reading is planned only once the last one
 * (of any kind, the user's own included) has ended, from how long the readings took, so that on a slow link
 * readings never queue up and never take more than half of the link's time. The hook times every reading by
 * watching `readInFlight`; a reading the user started counts as a whole dump.
 */
export function useAutoRefresh(read: RefreshRead, options: AutoRefreshOptions): void {
	const { intervalMs, enabled, readInFlight, canReadLight } = options;
	const now = options.now ?? Date.now;
	const latest = useRef(read);
	latest.current = read;
	const clock = useRef(now);
	clock.current = now;
	const past = useRef<{ lastFull?: ReadSpan; lights: ReadSpan[] }>({ lights: [] });
	const current = useRef<{ kind: 'full' | 'light'; startMs: number } | undefined>(undefined);
	const asked = useRef<'full' | 'light'>('full');
	// A reading asked for that did not start (refused) waits an interval before the next try.
	const notBefore = useRef(0);
	const [attempt, setAttempt] = useState(0);

	// Times each reading: declared before the planning effect, so a reading's end is known when it plans.
	useEffect(() => {
		const nowMs = clock.current();
		if (readInFlight) {
			current.current = { kind: asked.current, startMs: nowMs };
			asked.current = 'full';
			return;
		}
		const ended = current.current;
		if (!ended) return;
		current.current = undefined;
		const span: ReadSpan = { ...ended, endMs: nowMs };
		if (span.kind === 'full') past.current = { lastFull: span, lights: [] };
		else past.current.lights.push(span);
	}, [readInFlight]);

	// `attempt` re-plans after a tick whether or not its reading started.
	// biome-ignore lint/correctness/useExhaustiveDependencies: attempt is the trigger, read through no value.
	useEffect(() => {
		if (!enabled || intervalMs <= 0 || readInFlight) return;
		const nowMs = clock.current();
		const { lastFull, lights } = past.current;
		const plan = planRefresh({
			intervalMs,
			...(lastFull ? { lastFull } : {}),
			lightsSinceFull: lights,
			inFlight: false,
			canReadLight,
			nowMs,
		});
		if (!plan) return;
		// Before any reading it has timed, the first comes an interval after auto-refresh starts, as it always has.
		const atMs = Math.max(plan.atMs, notBefore.current, lastFull ? 0 : nowMs + intervalMs);
		const timer = setTimeout(
			() => {
				asked.current = plan.kind;
				if (!latest.current(plan.kind)) {
					asked.current = 'full';
					notBefore.current = clock.current() + intervalMs;
				}
				setAttempt((count) => count + 1);
			},
			Math.max(0, atMs - nowMs),
		);
		return () => clearTimeout(timer);
	}, [enabled, intervalMs, readInFlight, canReadLight, attempt]);
}
