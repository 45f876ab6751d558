import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseMemInfo } from '../source/heap/parse.js';
import type { Capabilities } from '../source/ui/state/command-types.js';
import { COMMANDS } from '../source/ui/state/commands.js';
import { hintsFor, reduce, screenReducer, update } from '../source/ui/state/reducer.js';
import { initialViewState, type ViewState } from '../source/ui/state/view-state.js';
import { liveCapabilities } from './helpers/capabilities.js';
import { readMemInfoFixture } from './helpers/fixtures.js';

const parsed = parseMemInfo(readMemInfoFixture('qemu-mps2an385-v1.29pre-two-dumps-before-after-gc.txt'));
assert.ok(parsed.ok);
const snapshot = parsed.snapshot;

function caps(overrides: Partial<Capabilities> = {}): Capabilities {
	return liveCapabilities({ snapshot, atMs: 0, afterCollect: false }, overrides);
}

test('the reducer is pure: the same state and command give the same outcome, and the state is not changed', () => {
	const state = initialViewState(1000);
	const frozen = JSON.stringify(state);
	for (const entry of COMMANDS) {
		for (const binding of entry.keys) {
			const command = binding.arg === undefined ? { id: entry.id } : { id: entry.id, arg: binding.arg };
			const first = reduce(state, command, caps());
			const second = reduce(state, command, caps());
			assert.deepEqual(first, second, entry.id);
			assert.equal(JSON.stringify(state), frozen, `${entry.id} changed the state it was given`);
		}
	}
});

test('a read is an effect when it can start, and a refusal in words when it cannot', () => {
	const state = initialViewState(0);
	assert.deepEqual(reduce(state, { id: 'collect' }, caps()).effect, { type: 'read', collect: true });
	const busy = reduce(state, { id: 'collect' }, caps({ status: 'busy' }));
	assert.equal(busy.effect, undefined);
	assert.match(busy.notice?.text ?? '', /^g: the board is running a program: i interrupts it/);
	// A collect during a reading is queued by the source hook; a plain read is refused.
	assert.ok(reduce(state, { id: 'collect' }, caps({ readInFlight: true })).effect);
	assert.match(reduce(state, { id: 'refresh' }, caps({ readInFlight: true })).notice?.text ?? '', /in progress/);
	assert.match(reduce(state, { id: 'refresh' }, caps({ mode: 'replay' })).notice?.text ?? '', /^r: a recording/);
});

test('the status line hints come from the table, with help and quit last, and follow the state', () => {
	const live = hintsFor(initialViewState(1000), caps());
	assert.deepEqual(live.slice(-2), [
		['?', 'help'],
		['q', 'quit'],
	]);
	assert.ok(live.some(([key, what]) => key === 'p' && what === 'pause'));
	const paused = hintsFor({ ...initialViewState(1000), paused: true }, caps());
	assert.ok(paused.some(([key, what]) => key === 'p' && what === 'resume'));
	assert.ok(!hintsFor(initialViewState(0), caps()).some(([key]) => key === 'p'), 'no pause when auto is off');
	const replay = hintsFor(initialViewState(0), caps({ mode: 'replay', replay: { cursor: 0, count: 3 } }));
	assert.ok(replay.some(([key]) => key === '[ ]') && !replay.some(([key]) => key === 'g'));
});

test('a command that asks twice acts on the second press only, and only soon after the first', () => {
	const entry = {
		id: 'test-confirm',
		keys: [],
		help: [],
		confirm: { text: () => 'press again to do it', ms: 3000 },
		run: (state: ViewState) => ({ state, effect: { type: 'interrupt' as const } }),
	};
	(COMMANDS as unknown as (typeof entry)[]).push(entry);
	try {
		const first = reduce(initialViewState(0), { id: 'test-confirm' }, caps({ nowMs: 1000 }));
		assert.equal(first.effect, undefined);
		assert.equal(first.notice?.text, 'press again to do it');
		const second = reduce(first.state, { id: 'test-confirm' }, caps({ nowMs: 2000 }));
		assert.deepEqual(second.effect, { type: 'interrupt' });
		assert.equal(second.state.armed, undefined);
		const late = reduce(first.state, { id: 'test-confirm' }, caps({ nowMs: 5000 }));
		assert.equal(late.effect, undefined, 'too late: it asks again');
		// Another command between the two presses disarms it.
		const between = reduce(first.state, { id: 'legend' }, caps({ nowMs: 1500 }));
		assert.equal(between.state.armed, undefined);
	} finally {
		(COMMANDS as unknown as unknown[]).pop();
	}
});

test('the reducer folds notices and effects into the model in order, each numbered once', () => {
	let model = { view: initialViewState(0), effects: [], effectSeq: 0 } as Parameters<typeof screenReducer>[0];
	model = screenReducer(model, { action: { type: 'key', key: 'g' }, caps: caps() });
	model = screenReducer(model, { action: { type: 'key', key: 'x' }, caps: caps() });
	model = screenReducer(model, { action: { type: 'key', key: 'q' }, caps: caps() });
	assert.deepEqual(
		model.effects.map((entry) => [entry.seq, entry.effect.type]),
		[
			[1, 'read'],
			[2, 'quit'],
		],
	);
	model = screenReducer(model, { action: { type: 'key', key: 'p' }, caps: caps() });
	assert.equal(model.view.notice?.tone, 'warn');
	const seq = model.view.notice?.seq ?? -1;
	const over = update(model.view, { type: 'notice-over', seq: seq - 1 }, caps());
	assert.ok(over.state.notice, 'an older notice timer does not end a newer notice');
	assert.equal(update(model.view, { type: 'notice-over', seq }, caps()).state.notice, undefined);
});

test('a prompt takes typed text until Enter and gives the command its number; Esc drops it', () => {
	const entry = {
		id: 'test-prompt',
		keys: [],
		help: [],
		prompt: {
			label: 'bytes',
			parse: (text: string) => (/^\d+$/.test(text) ? Number(text) : undefined),
			invalid: 'a number',
		},
		run: (state: ViewState, arg: number | undefined) => ({
			state,
			notice: { text: `got ${arg}`, tone: 'info' as const },
		}),
	};
	(COMMANDS as unknown as (typeof entry)[]).push(entry);
	try {
		let state = reduce(initialViewState(0), { id: 'test-prompt' }, caps()).state;
		assert.equal(state.prompt?.label, 'bytes');
		for (const key of ['1', '2', 'x', 'backspace', '3']) state = update(state, { type: 'key', key }, caps()).state;
		assert.equal(state.prompt?.text, '123');
		// While the prompt is open, keys type: q does not quit.
		const typed = update(state, { type: 'key', key: 'q' }, caps());
		assert.equal(typed.effect, undefined);
		const done = update(state, { type: 'key', key: 'enter' }, caps());
		assert.equal(done.notice?.text, 'got 123');
		assert.equal(done.state.prompt, undefined);
		assert.equal(update(state, { type: 'key', key: 'escape' }, caps()).state.prompt, undefined);
		const bad = update(typed.state, { type: 'key', key: 'enter' }, caps());
		assert.equal(bad.notice?.text, 'a number');
	} finally {
		(COMMANDS as unknown as unknown[]).pop();
	}
});

test('i, asked twice, interrupts a busy board and a silent one; a board at its prompt is refused in words', () => {
	const twice = (status: Capabilities['status']) => {
		const first = reduce(initialViewState(0), { id: 'interrupt' }, caps({ status, canInterrupt: true, nowMs: 1000 }));
		return {
			first,
			second: reduce(first.state, { id: 'interrupt' }, caps({ status, canInterrupt: true, nowMs: 1500 })),
		};
	};
	assert.deepEqual(twice('busy').second.effect, { type: 'interrupt' });
	const silent = twice('not-answering');
	assert.match(silent.first.notice?.text ?? '', /a program that prints nothing, or a command a cut-off client left/);
	assert.deepEqual(silent.second.effect, { type: 'interrupt' });
	assert.equal(twice('live').second.effect, undefined);
	assert.match(twice('live').second.notice?.text ?? '', /not running a program/);
});
