import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LIGHT_AFTER_MS, linkShare, planRefresh, type ReadSpan } from '../source/ui/state/refresh-policy.js';

/** Runs auto-refresh against a link where a dump takes `dumpMs` and a light reading `lightMs`, for `untilMs`. */
function simulate(options: {
	intervalMs: number;
	dumpMs: number;
	lightMs: number;
	canReadLight: boolean;
	untilMs: number;
}) {
	const spans: ReadSpan[] = [];
	let lastFull: ReadSpan | undefined;
	let lights: ReadSpan[] = [];
	let nowMs = 0;
	for (let guard = 0; guard < 100_000; guard++) {
		const plan = planRefresh({
			intervalMs: options.intervalMs,
			...(lastFull ? { lastFull } : {}),
			lightsSinceFull: lights,
			inFlight: false,
			canReadLight: options.canReadLight,
			nowMs,
		});
		if (!plan) break;
		assert.ok(plan.atMs >= nowMs, 'never in the past');
		if (plan.atMs >= options.untilMs) break;
		const span: ReadSpan = {
			kind: plan.kind,
			startMs: plan.atMs,
			endMs: plan.atMs + (plan.kind === 'full' ? options.dumpMs : options.lightMs),
		};
		spans.push(span);
		nowMs = span.endMs;
		if (span.kind === 'full') {
			lastFull = span;
			lights = [];
		} else lights.push(span);
	}
	return spans;
}

const cases = [
	{ intervalMs: 1000, dumpMs: 50, lightMs: 20 },
	{ intervalMs: 1000, dumpMs: 800, lightMs: 20 },
	{ intervalMs: 1000, dumpMs: 1200, lightMs: 30 },
	{ intervalMs: 500, dumpMs: 53_000, lightMs: 40 },
	{ intervalMs: 5000, dumpMs: 2000, lightMs: 25 },
	{ intervalMs: 200, dumpMs: 3000, lightMs: 150 },
	{ intervalMs: 100, dumpMs: 1500, lightMs: 300 },
];

test('a reading never starts before the last one ended, and reading never holds the link more than half the time', () => {
	for (const shape of cases) {
		for (const canReadLight of [false, true]) {
			const spans = simulate({ ...shape, canReadLight, untilMs: 600_000 });
			assert.ok(spans.length > 2, `${JSON.stringify(shape)}: readings happen`);
			for (let index = 1; index < spans.length; index++) {
				assert.ok((spans[index]?.startMs ?? 0) >= (spans[index - 1]?.endMs ?? 0), 'no overlap');
			}
			// Over every cycle from one dump's start to the next, and over the whole run.
			const fulls = spans.filter((span) => span.kind === 'full');
			for (let index = 1; index < fulls.length; index++) {
				const share = linkShare(spans, fulls[index - 1]?.startMs ?? 0, fulls[index]?.startMs ?? 0);
				assert.ok(share <= 0.5 + 1e-9, `${JSON.stringify(shape)} light ${canReadLight}: cycle share ${share}`);
			}
			const lastFull = fulls.at(-1);
			assert.ok(lastFull);
			assert.ok(linkShare(spans, 0, lastFull.startMs) <= 0.5 + 1e-9, 'over the whole run');
		}
	}
});

test('at an interval twice the dump or longer, dumps come at the interval; shorter, every twice the dump', () => {
	for (const shape of cases) {
		const spans = simulate({ ...shape, canReadLight: false, untilMs: 600_000 });
		const starts = spans.map((span) => span.startMs);
		const expected = Math.max(shape.intervalMs, 2 * shape.dumpMs);
		for (let index = 1; index < starts.length; index++) {
			assert.equal((starts[index] ?? 0) - (starts[index - 1] ?? 0), expected, JSON.stringify(shape));
		}
	}
});

test('a dump slower than a second has light readings, one per interval, in between; dumps still come', () => {
	// Light readings go where the link would sit idle for more than an interval after a slow dump.
	const slow = cases.filter(
		(shape) =>
			shape.dumpMs > LIGHT_AFTER_MS && Math.max(shape.intervalMs, 2 * shape.dumpMs) - shape.dumpMs > shape.intervalMs,
	);
	assert.ok(slow.length >= 3);
	for (const shape of slow) {
		const spans = simulate({ ...shape, canReadLight: true, untilMs: 600_000 });
		const fulls = spans.filter((span) => span.kind === 'full');
		const lights = spans.filter((span) => span.kind === 'light');
		assert.ok(lights.length > 0, `${JSON.stringify(shape)}: light readings`);
		// The dumps keep coming: lights take their own share, they never put the next dump off for good.
		const cycle = 2 * shape.dumpMs + 2 * shape.dumpMs;
		assert.ok(fulls.length >= Math.floor(600_000 / cycle) - 1, `${JSON.stringify(shape)}: ${fulls.length} dumps`);
		// Between two dumps, no stretch of idle link longer than an interval (or a light's own pause) goes unread
		// while light readings are allowed: the panel moves every interval.
		for (let index = 1; index < spans.length; index++) {
			const previous = spans[index - 1];
			const span = spans[index];
			if (!previous || !span || span.kind !== 'light') continue;
			const gap = span.startMs - previous.startMs;
			assert.ok(gap <= Math.max(shape.intervalMs, 2 * shape.lightMs, shape.dumpMs + shape.intervalMs), `gap ${gap}`);
		}
	}
	// A dump within a second needs none; nor does one the interval already spaces out.
	const spaced = simulate({ intervalMs: 5000, dumpMs: 2000, lightMs: 25, canReadLight: true, untilMs: 60_000 });
	assert.ok(spaced.every((span) => span.kind === 'full'));
	const quick = simulate({ intervalMs: 1000, dumpMs: 400, lightMs: 20, canReadLight: true, untilMs: 60_000 });
	assert.ok(quick.every((span) => span.kind === 'full'));
});

test('off at interval 0, nothing while a reading is under way, the first reading at once', () => {
	const base = { lightsSinceFull: [], canReadLight: true, nowMs: 5000 };
	assert.equal(planRefresh({ ...base, intervalMs: 0, inFlight: false }), undefined);
	assert.equal(planRefresh({ ...base, intervalMs: 1000, inFlight: true }), undefined);
	assert.deepEqual(planRefresh({ ...base, intervalMs: 1000, inFlight: false }), { kind: 'full', atMs: 5000 });
	// A user's own reading that ran long pushes the next one back by as long again.
	const lastFull: ReadSpan = { kind: 'full', startMs: 5000, endMs: 5900 };
	assert.deepEqual(planRefresh({ ...base, intervalMs: 1000, inFlight: false, lastFull, nowMs: 5900 }), {
		kind: 'full',
		atMs: 6800,
	});
});
