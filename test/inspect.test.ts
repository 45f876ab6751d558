import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { inspectCommand } from '../source/commands/inspect.js';
import { parseAllMemInfo } from '../source/heap/parse.js';
import { memInfoDir, readMemInfoFixture } from './helpers/fixtures.js';
import { heaptop } from './helpers/heaptop.js';
import { keptStream } from './helpers/kept-stream.js';

test('inspect --json has every documented path, with figures from the summary', () => {
	const file = join(memInfoDir, 'webassembly-pyscript-v1.27-three-areas.txt');
	const run = heaptop(['inspect', '--json', file]);
	assert.equal(run.code, 0, run.stderr);
	const json = JSON.parse(run.stdout);
	const [snapshot] = parseAllMemInfo(readMemInfoFixture('webassembly-pyscript-v1.27-three-areas.txt'));
	assert.ok(snapshot);
	assert.equal(json.gc.totalBytes, snapshot.gc.totalBytes);
	assert.equal(json.gc.usedBytes, snapshot.gc.usedBytes);
	assert.equal(json.gc.freeBytes, snapshot.gc.freeBytes);
	assert.equal(json.gc.maxNewSplitBytes, snapshot.gc.maxNewSplitBytes);
	assert.equal(json.stack.usedBytes, snapshot.stack?.usedBytes);
	assert.equal(json.stack.limitBytes, snapshot.stack?.limitBytes);
	assert.equal(json.blocks.bytesPerBlock, 16);
	assert.equal(json.blocks.oneBlock, snapshot.counts?.oneBlock);
	assert.equal(json.blocks.twoBlock, snapshot.counts?.twoBlock);
	assert.equal(json.blocks.maxBlockBlocks, snapshot.counts?.maxBlockBlocks);
	assert.equal(json.blocks.maxFreeBlocks, snapshot.counts?.maxFreeBlocks);
	assert.deepEqual(
		json.areas.map((area: { address: string; blocks: number }) => [area.address, area.blocks]),
		snapshot.areas.map((area) => [area.address, area.cells.length]),
	);
	assert.equal(json.metrics.largestAllocatableBytes, (snapshot.counts?.maxFreeBlocks ?? 0) * 16);
	assert.ok(json.metrics.fragmentation >= 0 && json.metrics.fragmentation <= 1);
	assert.equal(json.metrics.kinds.T.objects, snapshot.map?.kinds.T?.objects);
	assert.equal(json.metrics.kinds.T.blocks, snapshot.map?.kinds.T?.blocks);
	assert.deepEqual(json.warnings, []);
});

test('fields a firmware does not print are null, not missing', () => {
	const run = heaptop(['inspect', '--json', '-'], {
		input: readMemInfoFixture('doc-pyboard-v1.6-issue1877-summary-only.txt'),
	});
	assert.equal(run.code, 0, run.stderr);
	const json = JSON.parse(run.stdout);
	assert.equal(json.gc.maxNewSplitBytes, null);
	assert.equal(json.blocks.maxFreeBlocks, null);
	assert.equal(json.blocks.bytesPerBlock, null);
	assert.equal(json.metrics.largestAllocatableBytes, null);
	assert.deepEqual(json.areas, []);
});

test('inspect - reads a pasted dump from standard input and prints the map with its legend', () => {
	const run = heaptop(['inspect', '-'], { input: readMemInfoFixture('esp8266-issue6086-mem_info1.txt') });
	assert.equal(run.code, 0, run.stderr);
	assert.match(run.stdout, /^GC {8}total 37,952 B · used 12,112 B/m);
	assert.match(run.stdout, /^00000000 MDThhhDMhTDhThDTB=TB=/m);
	assert.match(run.stdout, /^legend/m);
	assert.ok(!run.stdout.includes('\x1b['), 'no colour when stdout is a pipe');
});

test('several dumps: the last by default, each with --all', () => {
	const file = join(memInfoDir, 'qemu-mps2an385-v1.29pre-two-dumps-before-after-gc.txt');
	const snapshots = parseAllMemInfo(readMemInfoFixture('qemu-mps2an385-v1.29pre-two-dumps-before-after-gc.txt'));
	const last = JSON.parse(heaptop(['inspect', '--json', file]).stdout);
	assert.equal(last.gc.usedBytes, snapshots[1]?.gc.usedBytes);
	const printed = heaptop(['inspect', '--json', '--all', file]).stdout;
	const all = JSON.parse(printed);
	// Laid out as one pretty-printed array, though its items are printed as they are found.
	assert.equal(printed, `${JSON.stringify(all, null, 2)}\n`);
	assert.deepEqual(
		all.map((json: { gc: { usedBytes: number } }) => json.gc.usedBytes),
		snapshots.map((snapshot) => snapshot.gc.usedBytes),
	);
	assert.match(heaptop(['inspect', '--all', file]).stdout, /── dump 2 ──/);
});

test('input with no dump exits 2 with one line saying what was expected', () => {
	const run = heaptop(['inspect', '-'], { input: 'Traceback (most recent call last):\nMemoryError\n' });
	assert.equal(run.code, 2);
	assert.equal(run.stderr.trim().split('\n').length, 1);
	assert.match(run.stderr, /^heaptop: standard input: no mem_info dump found: expected/);
	assert.equal(run.stdout, '');
});

test('a file that does not exist exits 2 with one line, no stack trace', () => {
	const run = heaptop(['inspect', 'no-such-dump.txt']);
	assert.equal(run.code, 2);
	assert.equal(run.stderr, 'heaptop: cannot read no-such-dump.txt: no such file\n');
});

test('a damaged paste is shown, with its warnings', () => {
	const damaged = readMemInfoFixture('rp2040-pico-tutorial-pre1.20-mem_info1.txt').replace(/^00800: .*\n/m, '');
	const run = heaptop(['inspect', '-'], { input: damaged });
	assert.equal(run.code, 0);
	assert.match(run.stdout, /warnings +row labels out of sequence/);
});

test('a read longer than a second shows its progress on a terminal’s stderr, erased before the dump prints; never with --json or into a pipe', async () => {
	const dir = mkdtempSync(join(tmpdir(), 'heaptop-inspect-progress-'));
	try {
		// Four megabyte chunks of a real capture repeated: four reads, the clock a second on at each look.
		const file = join(dir, 'log.txt');
		const capture = readMemInfoFixture('qemu-mps2an385-v1.29pre-fresh.txt');
		writeFileSync(file, capture.repeat(Math.ceil((4 * 1024 * 1024) / capture.length)));
		const run = async (json: boolean, stderrIsTTY: boolean) => {
			const stdout = keptStream(false);
			const stderr = keptStream(stderrIsTTY);
			let now = 0;
			const code = await inspectCommand({
				input: file,
				json,
				all: false,
				color: false,
				stdout,
				stdin: () => process.stdin,
				stderr,
				nowMs: () => {
					now += 1000;
					return now;
				},
			});
			return { code, stdout: stdout.text(), stderr: stderr.text() };
		};
		const shown = await run(false, true);
		assert.equal(shown.code, 0);
		// biome-ignore lint/suspicious/noControlCharactersInRegex: the line's own return and erase are what is checked.
		assert.match(shown.stderr, /^\rheaptop: reading [\d,]+ B of [\d,]+ B \(\d+ %\)\x1b\[K/);
		assert.ok(shown.stderr.endsWith('\r\x1b[K'), 'the line is gone before the dump prints');
		assert.match(shown.stdout, /^GC {8}total 140,032 B/);
		assert.equal((await run(true, true)).stderr, '', 'no progress with --json');
		assert.equal((await run(false, false)).stderr, '', 'no progress into a pipe or a file');
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});

test('--all cuts a megabyte chunk of small dumps into slices for the reader without losing or splitting one', async () => {
	const capture = readMemInfoFixture('qemu-mps2an385-v1.29pre-fresh.txt');
	const count = Math.ceil((1024 * 1024) / capture.length);
	const stdout = keptStream(false);
	// One chunk of a megabyte, as a file's read stream gives it.
	const stdin = Object.assign(Readable.from([Buffer.from(capture.repeat(count), 'latin1')]), { isTTY: false });
	const code = await inspectCommand({ input: '-', json: false, all: true, color: false, stdout, stdin: () => stdin });
	assert.equal(code, 0);
	assert.equal(stdout.text().match(/^── dump \d+ ──$/gm)?.length, count);
	assert.equal(stdout.text().match(/^GC {8}total 140,032 B/gm)?.length, count);
});
