import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeSnapshot } from '../source/heap/analyze.js';
import type { HeapSnapshot } from '../source/heap/model.js';
import { scenarios } from '../source/scenarios/index.js';
import { createEmulatorSource } from '../source/sources/emulator.js';
import type { SourceEvent } from '../source/sources/source.js';

type StepRecord = { snapshot: HeapSnapshot; problems: string[]; output: string };

/** Runs every step of a scenario on a default (Pico-sized) board; per step, its last reading and problems. */
async function runScenario(name: string): Promise<StepRecord[]> {
	const source = createEmulatorSource({ scenario: name });
	let events: SourceEvent[] = [];
	source.subscribe((event) => events.push(event));
	const records: StepRecord[] = [];
	const record = () => {
		const readings = events.flatMap((event) => (event.type === 'reading' ? [event.reading.snapshot] : []));
		const snapshot = readings.at(-1) ?? assert.fail(`step ${records.length + 1} of ${name} took no reading`);
		const problems = events.flatMap((event) => (event.type === 'problem' ? [event.message] : []));
		const output = events.map((event) => (event.type === 'output' ? event.text : '')).join('');
		records.push({ snapshot, problems, output });
		events = [];
	};
	await source.start();
	record();
	const controls = source.scenario ?? assert.fail('no scenario controls');
	while (controls.current().step < controls.current().steps) {
		await controls.next();
		record();
	}
	await source.close();
	return records;
}

function step(records: StepRecord[], number: number): StepRecord {
	return records[number - 1] ?? assert.fail(`no step ${number}`);
}

/** The size in a MicroPython `MemoryError: memory allocation failed, allocating N bytes`. */
function failedBytes(problems: string[]): number {
	const match = problems.map((problem) => /^MemoryError: .*allocating (\d+) bytes$/.exec(problem)).find(Boolean);
	return Number(match?.[1] ?? assert.fail(`no MemoryError among ${JSON.stringify(problems)}`));
}

const used = (record: StepRecord) => record.snapshot.gc.usedBytes;
const largestFree = (record: StepRecord) => analyzeSnapshot(record.snapshot).largestAllocatableBytes ?? 0;

test('every scenario has a short kebab-case name, a title, a summary and one-line captions', () => {
	assert.equal(scenarios.length, 6);
	for (const scenario of scenarios) {
		assert.match(scenario.name, /^[a-z]+(-[a-z]+)*$/);
		assert.ok(scenario.title.length > 0 && scenario.summary.length <= 100, scenario.name);
		for (const { caption } of scenario.steps) {
			assert.ok(caption.length > 0 && caption.length <= 90 && !caption.includes('\n'), caption);
		}
	}
});

test('fragmentation: it ends in MemoryError with more than ten times the largest free run free', async () => {
	const records = await runScenario('fragmentation');
	const last = records.at(-1) ?? assert.fail();
	const requested = failedBytes(last.problems);
	const { freeBytes } = last.snapshot.gc;
	assert.ok(freeBytes > 10 * largestFree(last), `free ${freeBytes}, largest free run ${largestFree(last)}`);
	assert.ok(requested > largestFree(last) && requested < freeBytes, `asked for ${requested}`);
	assert.ok(largestFree(step(records, 1)) > requested, 'the fresh board could have given it');
	for (const record of records.slice(0, -1)) assert.deepEqual(record.problems, []);
});

test('early vs late: the big buffer fails when asked for last, and succeeds when asked for first', async () => {
	const records = await runScenario('early-vs-late');
	const late = step(records, 3);
	const requested = failedBytes(late.problems);
	assert.ok(late.snapshot.gc.freeBytes > requested, 'there was enough free memory in total');
	assert.ok(largestFree(late) < requested, 'but no run long enough');
	for (const number of [4, 5, 6]) assert.deepEqual(step(records, number).problems, [], `step ${number}`);
	const early = step(records, 6);
	assert.ok(used(early) >= requested, 'the big buffer is there, with the results');
	assert.match(early.output, /results kept beside a frame of \d+ bytes/);
});

test('small vs big: pieces cost several times the bitmap, and only the pieces fit a fragmented heap', async () => {
	const records = await runScenario('small-vs-big');
	const dropped = used(step(records, 3));
	const piecesBytes = used(step(records, 1)) - dropped;
	const bitmapBytes = used(step(records, 2)) - used(step(records, 1));
	assert.ok(bitmapBytes >= 1536 && bitmapBytes < 1536 + 64, `bitmap ${bitmapBytes}`);
	assert.ok(piecesBytes > 3 * bitmapBytes, `pieces ${piecesBytes}, bitmap ${bitmapBytes}`);
	const kinds = analyzeSnapshot(step(records, 1).snapshot).kinds;
	assert.ok((kinds.S?.objects ?? 0) >= 192, 'one S per row object');
	assert.deepEqual(step(records, 5).problems, [], 'the pieces fit');
	const last = step(records, 6);
	assert.equal(failedBytes(last.problems), 1536);
	assert.ok(last.snapshot.gc.freeBytes > 10 * 1536 && largestFree(last) < 1536);
});

test('reuse a buffer: a new buffer per read leaves 60 buffers of garbage, a reused one leaves none', async () => {
	const records = await runScenario('reuse-buffer');
	const collected = used(step(records, 2));
	const garbage = used(step(records, 1)) - collected;
	assert.ok(garbage >= 60 * 512, `garbage ${garbage}`);
	// The reused buffer, its function and the step's own bytecode, which is live while the step runs.
	const reused = used(step(records, 3)) - collected;
	assert.ok(reused < garbage / 10, `reused ${reused}, garbage ${garbage}`);
	assert.equal(step(records, 2).snapshot.gc.usedBytes < used(step(records, 1)), true);
});

test('string building: += leaves far more garbage than join, and a bytearray leaves none', async () => {
	const records = await runScenario('string-building');
	const plusEquals = used(step(records, 1)) - used(step(records, 2));
	const join = used(step(records, 3)) - used(step(records, 4));
	const inPlace = used(step(records, 5)) - used(step(records, 4));
	assert.ok(plusEquals > 3 * join, `+= ${plusEquals}, join ${join}`);
	// The bytearray itself and the step's bytecode, live while the step runs: no garbage.
	assert.ok(inPlace < join / 3, `bytearray ${inPlace}, join ${join}`);
});

test('slow leak: used after collect climbs at every step, and drops once the list is trimmed', async () => {
	const records = await runScenario('slow-leak');
	const usedAfterCollect = records.map(used);
	for (let i = 1; i < 4; i++) {
		assert.ok((usedAfterCollect[i] ?? 0) > (usedAfterCollect[i - 1] ?? 0), JSON.stringify(usedAfterCollect));
	}
	assert.ok((usedAfterCollect[4] ?? 0) < (usedAfterCollect[3] ?? 0), 'the fix gives memory back');
	for (const record of records) assert.deepEqual(record.problems, []);
});
