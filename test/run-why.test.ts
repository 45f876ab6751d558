import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { heaptop } from './helpers/heaptop.js';

/** A script that leaves plenty free in small pieces and then asks for one big piece. */
const FRAGMENTING = `chunks = []
for i in range(60):
    chunks.append(bytearray(1500))
    chunks.append(bytearray(600))
for i in range(0, len(chunks), 2):
    chunks[i] = None
print('fragmented')
big = bytearray(100000)
`;

const folder = mkdtempSync(join(tmpdir(), 'heaptop-run-why-'));
after(() => rmSync(folder, { recursive: true, force: true }));
let scripts = 0;

function script(text: string): string {
	const path = join(folder, `script-${++scripts}.py`);
	writeFileSync(path, text);
	return path;
}

test('run: after a MemoryError that names its size, whether it would fit on the heap it left, and why not', () => {
	const path = script(FRAGMENTING);
	const run = heaptop(['run', path], { timeoutMs: 60_000 });
	assert.equal(run.code, 1, run.stderr);
	assert.match(run.stdout, /^fragmented\n/);
	assert.match(run.stderr, /MemoryError: memory allocation failed, allocating 100000 bytes/);
	const why = run.stdout.slice(run.stdout.indexOf('why the allocation of 100000 bytes failed:'));
	assert.match(
		why,
		/^why the allocation of 100000 bytes failed:\nfit {7}100,000 B \(6,250 blocks of 16 B\) does not fit: /,
	);
	assert.match(why.replaceAll(/\n {10}/g, ' '), /It would fit at 0x[0-9a-f]+ but for \d+ objects/);
	assert.ok(run.stdout.indexOf('heap when') < run.stdout.indexOf('why the allocation'));

	const json = heaptop(['run', path, '--json'], { timeoutMs: 60_000 });
	assert.equal(json.code, 1, json.stderr);
	const report = JSON.parse(json.stdout);
	assert.equal(report.fit.bytes, 100_000);
	assert.equal(report.fit.blocks, 6250);
	assert.equal(report.fit.fits, false);
	// It did not fit because no free run was long enough, with more than enough free in total.
	assert.ok(report.gc.freeBytes > 100_000);
	assert.ok(report.metrics.largestAllocatableBytes < 100_000);
	assert.ok(report.fit.cheapest.objectCount > 0);
	assert.ok(report.metrics.blockers.length > 0);
});

test('run: another exception, or a script that ends, gets no fit answer', () => {
	const raised = heaptop(['run', script('x = [1, 2]\nraise ValueError("no")\n'), '--json'], { timeoutMs: 60_000 });
	assert.equal(raised.code, 1);
	assert.equal(JSON.parse(raised.stdout).fit, null);
	const ended = heaptop(['run', script('x = bytearray(100)\n')], { timeoutMs: 60_000 });
	assert.equal(ended.code, 0, ended.stderr);
	assert.doesNotMatch(ended.stdout, /why the allocation/);
});
