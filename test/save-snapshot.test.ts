import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseAllMemInfo, parseMemInfo } from '../source/heap/parse.js';
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
			snapshot: { gc: unknown };
			metrics: { fragmentation?: number };
		};
		assert.equal(json.afterCollect, true);
		assert.deepEqual(json.snapshot.gc, SNAPSHOT.gc);
		assert.equal(typeof json.metrics.fragmentation, 'number');
	} finally {
		rmSync(directory, { recursive: true, force: true });
	}
});

test('a directory that cannot be written gives an error, not a crash later', async () => {
	assert.ok(SNAPSHOT);
	await assert.rejects(saveReading({ snapshot: SNAPSHOT, atMs: 0, afterCollect: false }, '/nonexistent/heaptop'));
});
