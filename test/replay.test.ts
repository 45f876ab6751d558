import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { pointOf } from '../source/heap/analyze.js';
import { parseMemInfo } from '../source/heap/parse.js';
import { decodeRecording, encodeReading, type RecordedReading } from '../source/recording/format.js';
import { createReplaySource } from '../source/sources/replay.js';
import type { Reading, SourceEvent } from '../source/sources/source.js';
import { EMULATOR_SESSION, writeRecording } from './helpers/recording.js';

const scratch = mkdtempSync(join(tmpdir(), 'heaptop-replay-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function listen(source: ReturnType<typeof createReplaySource>) {
	const events: SourceEvent[] = [];
	source.subscribe((event) => events.push(event));
	const readings = () => events.flatMap((event) => (event.type === 'reading' ? [event.reading] : []));
	return { events, readings };
}

test('start loads every reading and shows the last one, as replay --once prints it', async () => {
	const path = join(scratch, 'session.jsonl');
	const written = writeRecording(path);
	const source = createReplaySource(path);
	const heard = listen(source);
	await source.start();
	const { replay } = source;
	const expected = written.map((recorded) => {
		const parsed = parseMemInfo(recorded.text);
		assert.ok(parsed.ok);
		return parsed.snapshot;
	});
	assert.deepEqual(
		replay.points(),
		expected.map((snapshot, index) =>
			pointOf(snapshot, written[index]?.atMs ?? 0, written[index]?.afterCollect ?? false),
		),
		'the figures of every reading',
	);
	assert.deepEqual(
		replay.points().map((_, index) => replay.reading(index)?.snapshot),
		expected,
		'every reading whole, when asked for',
	);
	assert.equal(replay.cursor(), written.length - 1);
	assert.deepEqual(heard.readings(), [replay.reading(written.length - 1)]);
	assert.ok(heard.events.some((event) => event.type === 'status' && event.status === 'live'));
	assert.equal(source.describe(), 'recording session.jsonl · qemu mps2-an385');
	await source.close();
});

test('seek emits the reading it lands on, stays inside the recording, and is quiet when nothing moves', async () => {
	const path = join(scratch, 'seek.jsonl');
	writeRecording(path);
	const source = createReplaySource(path);
	await source.start();
	const heard = listen(source);
	const { replay } = source;
	const last = replay.points().length - 1;
	assert.equal(replay.seek(1), 1);
	assert.equal(replay.seek(-5), 0);
	assert.equal(replay.seek(last + 10), last);
	assert.equal(replay.seek(last), last, 'already there');
	assert.deepEqual(heard.readings(), [replay.reading(1), replay.reading(0), replay.reading(last)] as Reading[]);
	assert.equal(replay.cursor(), last);
	const outcome = await source.read({ collect: false });
	assert.equal(outcome.ok ? outcome.reading : undefined, heard.readings().at(-1));
	await source.close();
});

test('only the reading shown and the one before it stay whole; the others are read again when asked for', async () => {
	const path = join(scratch, 'cache.jsonl');
	writeRecording(path);
	const source = createReplaySource(path);
	await source.start();
	const { replay } = source;
	const last = replay.points().length - 1;
	const shown = replay.reading(last);
	const before = replay.reading(last - 1);
	assert.ok(shown && before);
	assert.equal(replay.reading(last), shown, 'the one shown is kept');
	assert.equal(replay.reading(last - 1), before, 'the diff base is kept');
	replay.seek(0);
	const again = replay.reading(last);
	assert.notEqual(again, shown, 'parsed again');
	assert.deepEqual(again, shown);
	assert.equal(replay.reading(last + 1), undefined);
	assert.equal(replay.reading(-1), undefined);
	await source.close();
});

test('lines longer than a read of the file, and characters of several bytes, come back whole', async () => {
	const path = join(scratch, 'long.jsonl');
	const fixtures = Array.from({ length: 90 }, () => EMULATOR_SESSION).flat();
	const written = writeRecording(path, fixtures);
	// A name of several UTF-8 bytes, so that byte offsets and characters differ.
	const renamed = written.map((recorded) => ({ ...recorded, source: 'carte électronique ✓' }));
	writeFileSync(path, renamed.map(encodeReading).join(''));
	assert.ok(statSync(path).size > 1024 * 1024, 'more than one chunk');
	const source = createReplaySource(path);
	await source.start();
	const texts = source.replay.points().map((_, index) => source.replay.reading(index)?.snapshot.text);
	assert.deepEqual(
		texts,
		written.map((recorded) => recorded.text),
	);
	assert.equal(source.describe(), 'recording long.jsonl · carte électronique ✓');
	await source.close();
});

test('lines that are not readings and readings without a dump are reported as decodeRecording and the parser see them', async () => {
	const path = join(scratch, 'problems.jsonl');
	const written = writeRecording(path);
	const good = written.map(encodeReading);
	const noDump = encodeReading({ ...(written[0] as RecordedReading), atMs: 7, text: 'MicroPython v1.27 on wasm\n' });
	const text = [good[0], 'not json at all\n', noDump, '{"v":2}\n', '\n', ...good.slice(1), '{"v":1,"atMs":17'].join('');
	writeFileSync(path, text);
	const source = createReplaySource(path);
	const heard = listen(source);
	await source.start();
	const { skipped, readings } = decodeRecording(text);
	// The reading without a dump is the file's third line.
	const unparsed = readings.flatMap((recorded) => {
		const parsed = parseMemInfo(recorded.text);
		return parsed.ok ? [] : [`${path} line 3: a reading with no dump: ${parsed.error.message}`];
	});
	assert.equal(unparsed.length, 1);
	assert.deepEqual(
		heard.events.flatMap((event) => (event.type === 'problem' ? [event.message] : [])),
		[...skipped.map((entry) => `${path} line ${entry.line}: ${entry.reason}`), ...unparsed],
	);
	assert.deepEqual(
		source.replay.points().map((point) => point.atMs),
		written.map((recorded) => recorded.atMs),
	);
	await source.close();
});

test('a reading whose line changed after loading is reported, and the cursor stays', async () => {
	const path = join(scratch, 'changed.jsonl');
	writeRecording(path);
	const source = createReplaySource(path);
	const heard = listen(source);
	await source.start();
	const last = source.replay.cursor();
	truncateSync(path, 10);
	assert.equal(source.replay.seek(0), last);
	assert.ok(
		heard.events.some((event) => event.type === 'problem' && /reading 1 cannot be read again/.test(event.message)),
	);
	await source.close();
});

test('a torn last line is reported, and the readings before it still replay', async () => {
	const path = join(scratch, 'torn.jsonl');
	const written = writeRecording(path);
	appendFileSync(path, '{"v":1,"atMs":17');
	const source = createReplaySource(path);
	const heard = listen(source);
	await source.start();
	assert.equal(source.replay.points().length, written.length);
	assert.ok(heard.events.some((event) => event.type === 'problem' && /torn last line/.test(event.message)));
});

test('a recording with no readings is an error, and seek has nowhere to go', async () => {
	const path = join(scratch, 'empty.jsonl');
	writeRecording(path, []);
	const source = createReplaySource(path);
	const heard = listen(source);
	await source.start();
	assert.ok(heard.events.some((event) => event.type === 'status' && event.status === 'error'));
	assert.equal(source.replay.seek(0), -1);
	assert.equal(source.replay.cursor(), -1);
	assert.deepEqual(heard.readings(), []);
});

test('a recording behind a line without end and 20,000 lines that are no reading: each reading loads, five problems are named and the rest counted', async () => {
	const path = join(scratch, 'hostile.jsonl');
	const written = writeRecording(path);
	const recording = readFileSync(path, 'utf8');
	// 17 MB of one line first (longer than any reading may be), then a console's noise, then the recording.
	writeFileSync(path, `${'x'.repeat(17 * 1024 * 1024)}\n${'sensor 12.5 C\n'.repeat(20_000)}${recording}`);
	const source = createReplaySource(path);
	const heard = listen(source);
	assert.equal((await source.start()).ok, true);
	assert.equal(source.replay.points().length, written.length);
	const problems = heard.events.flatMap((event) => (event.type === 'problem' ? [event.message] : []));
	assert.equal(problems.length, 6, problems.join('\n'));
	assert.match(problems[0] ?? '', /line 1: longer than any reading/);
	assert.match(problems[1] ?? '', /line 2: not a heaptop reading/);
	assert.match(problems[5] ?? '', /: 19996 more lines cannot be read; the other readings replay$/);
	await source.close();
});
