import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { decodeRecording } from '../source/recording/format.js';
import { heaptop, heaptopHead } from './helpers/heaptop.js';

const scratch = mkdtempSync(join(tmpdir(), 'heaptop-cli-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

test('heaptop --demo --once --json prints the heap at the end of the first scenario', () => {
	const run = heaptop(['--demo', '--once', '--json']);
	assert.equal(run.code, 0, run.stderr);
	const json = JSON.parse(run.stdout);
	// The fragmentation scenario's claim, read from the figures: plenty free, no long run.
	assert.ok(json.gc.freeBytes > 10 * json.metrics.largestAllocatableBytes, run.stdout.slice(0, 300));
	assert.equal(json.gc.totalBytes, 192064, 'a Pico-sized heap by default');
});

test('a scenario picked by name, and an unknown one refused in one line with the list', () => {
	const run = heaptop(['--demo', 'early-vs-late', '--once']);
	assert.equal(run.code, 0, run.stderr);
	assert.match(run.stdout, /^scenario early-vs-late, step \d+ of \d+: /);
	const bad = heaptop(['--demo', 'no-such-scenario', '--once']);
	assert.equal(bad.code, 2);
	assert.match(
		bad.stderr,
		/^heaptop: there is no scenario called "no-such-scenario"; the scenarios are .*fragmentation/,
	);
	assert.equal(bad.stderr.trim().split('\n').length, 1);
});

test('--json --interval streams one object per line, a step per line, and --record keeps them', () => {
	const recording = join(scratch, 'leak.jsonl');
	const run = heaptop(['--demo', 'slow-leak', '--json', '--interval', '50ms', '--count', '3', '--record', recording]);
	assert.equal(run.code, 0, run.stderr);
	const lines = run.stdout
		.trim()
		.split('\n')
		.map((line) => JSON.parse(line));
	assert.equal(lines.length, 3);
	const used = lines.map((line) => line.gc.usedBytes);
	assert.ok((used[2] ?? 0) > (used[0] ?? 0), `the leak climbs: ${used.join(' ')}`);
	const { readings, skipped } = decodeRecording(readFileSync(recording, 'utf8'));
	assert.deepEqual(skipped, []);
	// One reading per line: the one each step takes of its heap, not a second read of the same heap.
	assert.equal(readings.length, 3);
	const replayed: number[] = JSON.parse(heaptop(['replay', recording, '--once', '--all', '--json']).stdout).map(
		(json: { gc: { usedBytes: number } }) => json.gc.usedBytes,
	);
	assert.deepEqual(replayed, used);
});

test('a recording cut off mid-line still replays, and says what it skipped', () => {
	const recording = join(scratch, 'cut.jsonl');
	heaptop(['--demo', '--json', '--interval', '10ms', '--count', '2', '--record', recording]);
	const text = readFileSync(recording, 'utf8');
	writeFileSync(recording, text.slice(0, text.length - 40));
	const run = heaptop(['replay', recording, '--once', '--json']);
	assert.equal(run.code, 0);
	assert.match(run.stderr, /torn last line/);
	assert.ok(JSON.parse(run.stdout).gc.totalBytes > 0);
});

test('a JSON stream piped to head ends quietly when the pipe closes', async () => {
	const { lines, code, stderr } = await heaptopHead(['--demo', '--json', '--interval', '20ms'], 2);
	assert.equal(lines.length, 2);
	for (const line of lines) assert.ok(JSON.parse(line).gc);
	assert.equal(stderr, '');
	assert.ok(code === 0 || code === null, `exit ${code}`);
});

test('heaptop run SCRIPT --heap 64k --once --json: the heap at the MemoryError, exit 1', () => {
	const script = join(scratch, 'fill.py');
	writeFileSync(script, 'keep = []\nwhile True:\n    keep.append(bytearray(1000))\n');
	const run = heaptop(['run', script, '--heap', '64k', '--once', '--json']);
	assert.equal(run.code, 1);
	assert.match(run.stderr, /MemoryError/);
	const json = JSON.parse(run.stdout);
	assert.equal(json.gc.totalBytes, 64000);
	assert.ok(json.metrics.largestAllocatableBytes < 1024, 'no room left for one more kilobyte');
});

test('a bad --heap is refused in one line', () => {
	const run = heaptop(['--demo', '--once', '--heap', 'lots']);
	assert.equal(run.code, 2);
	assert.match(run.stderr, /^heaptop: --heap "lots" is not a heap size/);
});

test('imports lists what a module pulls in, wrapped within 80 columns', () => {
	const run = heaptop(['imports', 'asyncio', 'logging']);
	assert.equal(run.code, 0, run.stderr);
	assert.match(run.stdout, /^asyncio +[\d,]+ B .*asyncio\.core/m);
	for (const line of run.stdout.split('\n')) assert.ok(line.length <= 80, `${line.length} columns: ${line}`);
	assert.ok(
		run.stdout.split('\n').some((line) => /^ {50}\S/.test(line)),
		'the pulled-in list goes on under itself',
	);
});
