import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseAllMemInfo, parseMemInfo } from '../source/heap/parse.js';
import { hasUnsafeText } from '../source/protocol/sanitize.js';
import { saveReading, snapshotBaseName } from '../source/ui/effects/save-snapshot.js';
import { readMemInfoFixture } from './helpers/fixtures.js';

const [SNAPSHOT] = parseAllMemInfo(readMemInfoFixture('webassembly-pyscript-v1.27-three-areas.txt'));

test('file names carry the UTC time of the reading', () => {
	assert.equal(snapshotBaseName(Date.UTC(2026, 10, 22, 2, 45, 12)), 'heaptop-20261122-024512');
});

test('the saved text parses back to the same snapshot, and a second save in the same second gets its own files', async () => {
	assert.ok(SNAPSHOT);
	const directory = mkdtempSync(join(tmpdir(), 'heaptop-save-'));
	try {
		const reading = { snapshot: SNAPSHOT, atMs: Date.UTC(2026, 0, 1), afterCollect: true };
		const first = await saveReading(reading, directory);
		const second = await saveReading(reading, directory);
		assert.notEqual(first.textPath, second.textPath);
		const parsed = parseMemInfo(readFileSync(first.textPath, 'latin1'));
		assert.ok(parsed.ok);
		assert.deepEqual(
			parsed.snapshot.areas.map((area) => area.cells),
			SNAPSHOT.areas.map((area) => area.cells),
		);
		const json = JSON.parse(readFileSync(first.jsonPath, 'utf8')) as {
			afterCollect: boolean;
			snapshot: { gc: Record<string, unknown>; metrics: { fragmentation?: number }; dump: string };
		};
		assert.equal(json.afterCollect, true);
		assert.equal(json.snapshot.gc.totalBytes, SNAPSHOT.gc.totalBytes);
		assert.equal(typeof json.snapshot.metrics.fragmentation, 'number');
		assert.equal(json.snapshot.dump, SNAPSHOT.text);
	} finally {
		rmSync(directory, { recursive: true, force: true });
	}
});

test('a directory that cannot be written gives an error, not a crash later', async () => {
	assert.ok(SNAPSHOT);
	await assert.rejects(saveReading({ snapshot: SNAPSHOT, atMs: 0, afterCollect: false }, '/nonexistent/heaptop'));
});

test('a planted symlink at either name is never followed: the pair takes the next name, the target is untouched', async () => {
	assert.ok(SNAPSHOT);
	const directory = mkdtempSync(join(tmpdir(), 'heaptop-save-'));
	try {
		const atMs = Date.UTC(2026, 0, 1);
		const base = snapshotBaseName(atMs);
		const target = join(directory, 'precious');
		writeFileSync(target, 'keep me');
		symlinkSync(target, join(directory, `${base}.json`));
		symlinkSync(join(directory, 'nowhere'), join(directory, `${base}-2.txt`));
		const saved = await saveReading({ snapshot: SNAPSHOT, atMs, afterCollect: false }, directory);
		assert.equal(saved.jsonPath, join(directory, `${base}-3.json`));
		assert.equal(readFileSync(target, 'utf8'), 'keep me');
		assert.equal(existsSync(join(directory, `${base}.txt`)), false, 'the half of the first name is given back');
		assert.equal(lstatSync(join(directory, `${base}-2.txt`)).isSymbolicLink(), true);
	} finally {
		rmSync(directory, { recursive: true, force: true });
	}
});

test('a reading whose time is no date (1e300) still saves, named as such', async () => {
	assert.ok(SNAPSHOT);
	const directory = mkdtempSync(join(tmpdir(), 'heaptop-save-'));
	try {
		const saved = await saveReading({ snapshot: SNAPSHOT, atMs: 1e300, afterCollect: false }, directory);
		assert.match(saved.textPath, /heaptop-unknown-time\.txt$/);
		assert.equal((JSON.parse(readFileSync(saved.jsonPath, 'utf8')) as { at: unknown }).at, null);
	} finally {
		rmSync(directory, { recursive: true, force: true });
	}
});

test('a board’s escapes in its dump do not reach the saved text: cat of the file is safe, and it reads back', async () => {
	const hostile = readMemInfoFixture('qemu-mps2an385-v1.29pre-mem_info1.txt')
		.replace('hhhh', 'h\x1b]0;pwned\x07h')
		.replace('====', '=\u202e\x9b2J=');
	const [snapshot] = parseAllMemInfo(hostile);
	assert.ok(snapshot && hasUnsafeText(snapshot.text), 'the dump holds what a board sent');
	const directory = mkdtempSync(join(tmpdir(), 'heaptop-save-'));
	try {
		const saved = await saveReading({ snapshot, atMs: 0, afterCollect: false }, directory);
		const text = readFileSync(saved.textPath, 'utf8');
		assert.equal(hasUnsafeText(text), false, JSON.stringify(text.slice(0, 200)));
		const parsed = parseMemInfo(text);
		assert.ok(parsed.ok);
		assert.equal(parsed.snapshot.gc.totalBytes, snapshot.gc.totalBytes);
	} finally {
		rmSync(directory, { recursive: true, force: true });
	}
});
