import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAllMemInfo } from '../source/heap/parse.js';
import { decodeRecording, encodeReading, type RecordedReading } from '../source/recording/format.js';
import { readMemInfoFixture } from './helpers/fixtures.js';

const dumps = readMemInfoFixture('qemu-mps2an385-v1.29pre-two-dumps-before-after-gc.txt');
const readings: RecordedReading[] = parseAllMemInfo(dumps).map((snapshot, index) => ({
	v: 1,
	atMs: 1_000 + index,
	source: 'qemu',
	afterCollect: index === 1,
	text: snapshot.text,
}));

test('a recording reads back the same readings, and their texts parse to the same snapshots', () => {
	const file = readings.map(encodeReading).join('');
	const { readings: back, skipped } = decodeRecording(file);
	assert.deepEqual(back, readings);
	assert.deepEqual(skipped, []);
	assert.deepEqual(
		back.map((reading) => parseAllMemInfo(reading.text)[0]?.gc),
		parseAllMemInfo(dumps).map((snapshot) => snapshot.gc),
	);
});

test('a recording cut off in the middle of a line still reads, and the torn line is reported', () => {
	const file = readings.map(encodeReading).join('');
	// Every cut strictly inside the second line: a cut just after a newline tears nothing.
	for (let cut = file.indexOf('\n') + 2; cut < file.length - 1; cut += 97) {
		const { readings: back, skipped } = decodeRecording(file.slice(0, cut));
		assert.equal(back.length, 1, `cut at ${cut}`);
		assert.equal(skipped.length, 1);
		assert.match(skipped[0]?.reason ?? '', /torn last line/);
	}
});

test('lines that are not heaptop readings are skipped with their line number', () => {
	const file = `{"hello":1}\nnot json\n${encodeReading(readings[0] as RecordedReading)}`;
	const { readings: back, skipped } = decodeRecording(file);
	assert.equal(back.length, 1);
	assert.deepEqual(
		skipped.map((entry) => entry.line),
		[1, 2],
	);
});

test('a recording saved by an editor with a byte-order mark and CRLF line ends loses no reading', () => {
	const file = `\ufeff${readings.map(encodeReading).join('').replaceAll('\n', '\r\n')}`;
	const { readings: back, skipped } = decodeRecording(file);
	assert.deepEqual(back, readings);
	assert.deepEqual(skipped, []);
});
