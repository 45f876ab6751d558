import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { HeapSnapshot } from '../source/heap/model.js';
import { parseAllMemInfo } from '../source/heap/parse.js';
import { createDumpReader } from '../source/heap/read-dumps.js';
import { snapshotToJson } from '../source/output/json.js';
import { formatSnapshots } from '../source/output/print.js';
import { encodeReading } from '../source/recording/format.js';
import { saveReading } from '../source/ui/effects/save-snapshot.js';
import { memInfoFixtures } from './helpers/fixtures.js';

const scratch = mkdtempSync(join(tmpdir(), 'heaptop-round-trip-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** What inspect reads from `text`, fed in uneven pieces as a pipe would deliver it. */
function readBack(text: string, seed: number): HeapSnapshot[] {
	const reader = createDumpReader();
	const out: HeapSnapshot[] = [];
	let at = 0;
	for (let piece = seed; at < text.length; piece = (piece * 7 + 3) % 997) {
		out.push(...reader.push(text.slice(at, at + piece + 1)));
		at += piece + 1;
	}
	out.push(...reader.end());
	return out;
}

/** The figures of a snapshot as JSON prints them, without the dump text itself. */
function figures(snapshot: HeapSnapshot) {
	const { dump: _dump, format: _format, warnings: _warnings, ...rest } = snapshotToJson(snapshot);
	return rest;
}

test('every output format heaptop writes is read back by inspect to the same figures', async () => {
	let formats = 0;
	for (const [index, { name, text }] of memInfoFixtures().entries()) {
		const snapshots = parseAllMemInfo(text);
		if (snapshots.length === 0) continue;
		const last = snapshots.at(-1) as HeapSnapshot;
		const outputs: Record<string, string> = {
			'text (--once, inspect)': formatSnapshots(snapshots, { json: false, all: false, color: false }),
			'text --all': formatSnapshots(snapshots, { json: false, all: true, color: false }),
			'coloured text': formatSnapshots(snapshots, { json: false, all: false, color: true }),
			'--json': formatSnapshots(snapshots, { json: true, all: false, color: false }),
			'--json --all': formatSnapshots(snapshots, { json: true, all: true, color: false }),
			'--json --interval line': snapshots.map((snapshot) => `${JSON.stringify(snapshotToJson(snapshot))}\n`).join(''),
			recording: snapshots
				.map((snapshot, at) =>
					encodeReading({ v: 1, atMs: at, source: 'test', afterCollect: false, text: snapshot.text }),
				)
				.join(''),
		};
		const saved = await saveReading(
			{ snapshot: last, atMs: Date.UTC(2026, 0, 1) + index * 1000, afterCollect: false },
			scratch,
		);
		outputs['saved .json (s)'] = readFileSync(saved.jsonPath, 'utf8');
		outputs['saved .txt (s)'] = readFileSync(saved.textPath, 'utf8');
		for (const [format, output] of Object.entries(outputs)) {
			formats++;
			const back = readBack(output, index + format.length);
			const all = format.includes('all') || format.includes('line') || format === 'recording';
			const expected = all ? snapshots : [last];
			assert.equal(back.length, expected.length, `${name}, ${format}: dumps read back`);
			back.forEach((snapshot, at) => {
				const original = expected[at] as HeapSnapshot;
				assert.deepEqual(figures(snapshot), figures(original), `${name}, ${format}, dump ${at + 1}`);
				// Read back from text, a snapshot prints as the original did.
				assert.equal(
					formatSnapshots([snapshot], { json: false, all: false, color: false }),
					formatSnapshots([original], { json: false, all: false, color: false }),
					`${name}, ${format}, dump ${at + 1}: printed again`,
				);
			});
		}
	}
	assert.ok(formats > 100, `${formats} outputs read back`);
});
