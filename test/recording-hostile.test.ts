import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { decodeRecording, decodeRecordingLine, encodeReading } from '../source/recording/format.js';
import { recordReadings } from '../source/recording/recorder.js';
import { createReplaySource, recordingProblem } from '../source/sources/replay.js';
import type { Reading, SourceEvent } from '../source/sources/source.js';
import { createFixtureSource } from './helpers/fixture-source.js';
import { writeRecording } from './helpers/recording.js';

const scratch = mkdtempSync(join(tmpdir(), 'heaptop-recording-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

async function load(path: string) {
	const source = createReplaySource(path);
	const events: SourceEvent[] = [];
	source.subscribe((event) => events.push(event));
	await source.start();
	const problems = events.flatMap((event) => (event.type === 'problem' ? [event.message] : []));
	const errors = events.flatMap((event) =>
		event.type === 'status' && event.status === 'error' ? [event.message ?? ''] : [],
	);
	const count = source.replay.points().length;
	await source.close();
	return { problems, errors, count };
}

test('appending to a recording whose last line is torn starts a new line: only the torn line is lost', async () => {
	const path = join(scratch, 'torn.jsonl');
	const written = writeRecording(path);
	const whole = readFileSync(path, 'utf8');
	// A heaptop killed in mid-write leaves half of its last line.
	writeFileSync(path, whole.slice(0, whole.length - 40));
	const source = createFixtureSource({ fixture: 'webassembly-v1.27-fresh-192k.txt' });
	const stop = recordReadings(source, path, (message) => assert.fail(message));
	await source.read({ collect: false });
	stop();
	const { readings, skipped } = decodeRecording(readFileSync(path, 'utf8'));
	assert.equal(readings.length, written.length, 'all but the torn reading, plus the new one');
	assert.equal(skipped.length, 1);
	const loaded = await load(path);
	assert.equal(loaded.count, written.length);
	assert.equal(loaded.problems.length, 1);
});

test('the recorder does not write through a symbolic link', async () => {
	const target = join(scratch, 'target');
	writeFileSync(target, 'keep');
	const link = join(scratch, 'link.jsonl');
	symlinkSync(target, link);
	const problems: string[] = [];
	const source = createFixtureSource({ fixture: 'webassembly-v1.27-fresh-192k.txt' });
	recordReadings(source, link, (message) => problems.push(message));
	await source.read({ collect: false });
	assert.equal(readFileSync(target, 'utf8'), 'keep');
	assert.match(problems.join('\n'), /symbolic link/);
});

test('a newer format version is named as such, in a line and for a whole file', async () => {
	const decoded = decodeRecordingLine('{"v":7,"atMs":1,"whatever":true}', false);
	assert.equal(decoded.ok, false);
	assert.match(decoded.ok ? '' : decoded.reason, /written by a newer heaptop \(format v7/);
	const path = join(scratch, 'newer.jsonl');
	writeFileSync(path, '{"v":2,"atMs":1,"text":"x"}\n{"v":2,"atMs":2,"text":"y"}\n');
	const loaded = await load(path);
	assert.deepEqual(loaded.errors, [`${path}: written by a newer heaptop (format v2); update heaptop to replay it`]);
	assert.deepEqual(loaded.problems, []);
});

test('a file that is no recording is one line, however many lines it has', async () => {
	const path = join(scratch, 'README.md');
	writeFileSync(path, `${Array.from({ length: 400 }, (_, index) => `line ${index}`).join('\n')}\n`);
	const loaded = await load(path);
	assert.equal(loaded.errors.length, 1);
	assert.match(loaded.errors[0] ?? '', /is no heaptop recording/);
	assert.deepEqual(loaded.problems, []);
});

test('many bad lines among readings: a few named, the rest counted, the readings replay', async () => {
	const path = join(scratch, 'noisy.jsonl');
	const written = writeRecording(path);
	appendFileSync(path, 'garbage\n'.repeat(50));
	const loaded = await load(path);
	assert.equal(loaded.count, written.length);
	assert.equal(loaded.problems.length, 6);
	assert.match(loaded.problems.at(-1) ?? '', /45 more lines cannot be read/);
});

test('a recording keeps bidi and C1 characters as escapes, and reads them back unchanged', () => {
	const reading = { v: 1 as const, atMs: 1, source: 'board \u202E\u009b', afterCollect: false, text: 'x\u2028' };
	const line = encodeReading(reading);
	assert.ok(!/[\u007f-\u009f\u2028\u202e]/.test(line));
	const decoded = decodeRecordingLine(line.trimEnd(), false);
	assert.ok(decoded.ok);
	assert.deepEqual(decoded.reading, reading);
});

test('a reading at 1e300 loads, with its figures', async () => {
	const path = join(scratch, 'far.jsonl');
	const [first] = writeRecording(path);
	assert.ok(first);
	writeFileSync(path, encodeReading({ ...first, atMs: 1e300 }));
	const source = createReplaySource(path);
	const seen: Reading[] = [];
	source.subscribe((event) => {
		if (event.type === 'reading') seen.push(event.reading);
	});
	await source.start();
	assert.equal(seen[0]?.atMs, 1e300);
	await source.close();
});

test('before the live screen opens a file, a quick look says in one line when it is no recording', async () => {
	const readme = join(scratch, 'notes.md');
	writeFileSync(readme, '# notes\n\nnothing recorded here\n');
	assert.match((await recordingProblem(readme)) ?? '', /is no heaptop recording/);
	assert.match((await recordingProblem(join(scratch, 'missing.jsonl'))) ?? '', /no such file/);
	const newer = join(scratch, 'v9.jsonl');
	writeFileSync(newer, '{"v":9,"atMs":1}\n');
	assert.match((await recordingProblem(newer)) ?? '', /written by a newer heaptop \(format v9\)/);
	const good = join(scratch, 'good.jsonl');
	writeRecording(good);
	appendFileSync(good, 'garbage\n');
	assert.equal(await recordingProblem(good), undefined);
});
