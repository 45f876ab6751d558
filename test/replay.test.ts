import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parseMemInfo } from '../source/heap/parse.js';
import { createReplaySource } from '../source/sources/replay.js';
import type { Reading, SourceEvent } from '../source/sources/source.js';
import { writeRecording } from './helpers/recording.js';

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
	const all = source.replay.readings();
	assert.equal(all.length, written.length);
	assert.deepEqual(
		all.map((reading) => [reading.atMs, reading.afterCollect, reading.snapshot.gc.usedBytes]),
		written.map((recorded) => {
			const parsed = parseMemInfo(recorded.text);
			assert.ok(parsed.ok);
			return [recorded.atMs, recorded.afterCollect, parsed.snapshot.gc.usedBytes];
		}),
	);
	assert.equal(source.replay.cursor(), written.length - 1);
	assert.deepEqual(heard.readings(), [all.at(-1)]);
	assert.ok(heard.events.some((event) => event.type === 'status' && event.status === 'live'));
	assert.equal(source.describe(), 'recording session.jsonl · qemu mps2-an385');
});

test('seek emits the reading it lands on, stays inside the recording, and is quiet when nothing moves', async () => {
	const path = join(scratch, 'seek.jsonl');
	writeRecording(path);
	const source = createReplaySource(path);
	await source.start();
	const heard = listen(source);
	const all = source.replay.readings();
	const last = all.length - 1;
	assert.equal(source.replay.seek(1), 1);
	assert.equal(source.replay.seek(-5), 0);
	assert.equal(source.replay.seek(last + 10), last);
	assert.equal(source.replay.seek(last), last, 'already there');
	assert.deepEqual(heard.readings(), [all[1], all[0], all[last]] as Reading[]);
	assert.equal(source.replay.cursor(), last);
	assert.equal(await source.read({ collect: false }), all[last]);
});

test('a torn last line is reported, and the readings before it still replay', async () => {
	const path = join(scratch, 'torn.jsonl');
	const written = writeRecording(path);
	appendFileSync(path, '{"v":1,"atMs":17');
	const source = createReplaySource(path);
	const heard = listen(source);
	await source.start();
	assert.equal(source.replay.readings().length, written.length);
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
