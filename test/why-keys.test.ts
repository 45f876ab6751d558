import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findBlockers, largestFreeRunBlocks } from '../source/heap/blockers.js';
import { fitAllocation } from '../source/heap/fit.js';
import { parseMemInfo } from '../source/heap/parse.js';
import { BLOCKER_LETTER, FIT_LETTER, IN_THE_WAY_LETTER } from '../source/present/why-marks.js';
import { highlightsOf } from '../source/ui/layout/screen-props.js';
import type { Capabilities } from '../source/ui/state/command-types.js';
import type { KeyName } from '../source/ui/state/keys.js';
import { update } from '../source/ui/state/reducer.js';
import { initialViewState, type ViewState } from '../source/ui/state/view-state.js';
import { liveCapabilities } from './helpers/capabilities.js';
import { readMemInfoFixture } from './helpers/fixtures.js';

const parsed = parseMemInfo(readMemInfoFixture('webassembly-v1.27-fragmented-192k.txt'));
assert.ok(parsed.ok);
const snapshot = parsed.snapshot;

function caps(overrides: Partial<Capabilities> = {}): Capabilities {
	return liveCapabilities({ snapshot, atMs: 0, afterCollect: true }, overrides);
}

/** Presses keys one after another, as the App feeds them. */
function press(keys: readonly KeyName[], from: ViewState = initialViewState(0), with_ = caps()) {
	let state = from;
	let notice: string | undefined;
	for (const key of keys) {
		const outcome = update(state, { type: 'key', key }, with_);
		state = outcome.state;
		notice = outcome.notice?.text ?? notice;
	}
	return { state, notice };
}

test('w marks the blockers on the map (X) and says the first; w again unmarks them', () => {
	const on = press(['w']);
	assert.deepEqual(on.state.markers, [{ id: 'blockers' }]);
	const largest = largestFreeRunBlocks(snapshot);
	const expected = findBlockers(snapshot).filter((blocker) => blocker.mergedFreeBlocks > largest);
	assert.match(
		on.notice ?? '',
		/^X marks the blockers; the first: h \(other\) 1,024 B at 0x[0-9a-f]+: freeing it makes a free run of 6,272 B$/,
	);
	const marks = highlightsOf(snapshot, on.state.markers).find((highlight) => highlight.id === 'blockers');
	assert.ok(marks);
	assert.equal(marks.letter, BLOCKER_LETTER);
	assert.deepEqual(
		marks.ranges,
		expected.map((blocker) => ({ areaIndex: blocker.area, firstBlock: blocker.block, blocks: blocker.blocks })),
	);
	const off = press(['w'], on.state);
	assert.deepEqual(off.state.markers, []);
});

test('a asks for a size; 10k that does not fit marks the objects in the way of the cheapest place (#)', () => {
	const asked = press(['a']);
	assert.equal(asked.state.prompt?.command, 'fit-size');
	const typed = press(['1', '0', 'k', 'enter'], asked.state);
	assert.equal(typed.state.prompt, undefined);
	assert.deepEqual(typed.state.markers, [{ id: 'fit', value: 10_240 }]);
	const result = fitAllocation(snapshot, 10_240);
	assert.ok(result.ok && result.answer.cheapest);
	assert.equal(
		typed.notice,
		`10,240 B does not fit (largest free run 5,248 B): # marks the 5 in the way at 0x${result.answer.cheapest.offsetBytes.toString(16)}`,
	);
	const marks = highlightsOf(snapshot, typed.state.markers).find((highlight) => highlight.id === 'fit');
	assert.ok(marks);
	assert.equal(marks.letter, IN_THE_WAY_LETTER);
	assert.deepEqual(
		marks.ranges,
		result.answer.cheapest.objects.map((object) => ({ areaIndex: 0, firstBlock: object.block, blocks: object.blocks })),
	);
});

test('a size that fits marks where gc_alloc would put it (+); a bad size is refused in words and the prompt stays', () => {
	const typed = press(['a', '4', 'k', 'enter']);
	const result = fitAllocation(snapshot, 4096);
	assert.ok(result.ok && result.answer.at);
	assert.equal(
		typed.notice,
		`4,096 B fits: + marks where gc_alloc would put it, 0x${result.answer.at.offsetBytes.toString(16)}`,
	);
	const marks = highlightsOf(snapshot, typed.state.markers).find((highlight) => highlight.id === 'fit');
	assert.equal(marks?.letter, FIT_LETTER);
	assert.deepEqual(marks?.ranges, [{ areaIndex: 0, firstBlock: result.answer.at.block, blocks: 256 }]);

	const bad = press(['a', 'x', 'enter']);
	assert.equal(bad.notice, 'a: write a size like 10240, 10k or 1m');
	assert.ok(bad.state.prompt);
	assert.equal(press(['escape'], bad.state).state.prompt, undefined);
});

test('without a map, w and a say so instead of marking', () => {
	const summary = parseMemInfo(readMemInfoFixture('doc-pyboard-v1.6-issue1877-summary-only.txt'));
	assert.ok(summary.ok);
	const none = caps({ reading: { snapshot: summary.snapshot, atMs: 0, afterCollect: false } });
	assert.equal(press(['w'], initialViewState(0), none).notice, 'w: no block map yet');
	assert.equal(press(['a', '1', 'k', 'enter'], initialViewState(0), none).notice, 'a: no block map yet');
});
