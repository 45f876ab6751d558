import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { asPrintScript } from '../scripts/print-script.js';
import { runPrintingBuild } from '../source/commands/printing-build.js';

// The start's side of the printing build (scripts/print-script.ts): a print.js beside the start, with or without
// the compiled code, run with what a module would have had. The real build's own runs are print-build.test.ts's.
const scratch = mkdtempSync(join(tmpdir(), 'heaptop-printing-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

type Seen = { url: string; required: string; imported: string; strict: boolean };
const seen = globalThis as typeof globalThis & { heaptopPrintingTest?: Seen };

/** A dist/ of its own holding a print.js made by the build's own transform, and maybe a print.cache. */
function distWith(cache: 'built' | 'none' | 'garbage'): string {
	const dir = mkdtempSync(join(scratch, 'dist-'));
	const bundle = [
		'#!/usr/bin/env node',
		'const here = heaptopModuleUrl;',
		"const { sep } = require('node:path');",
		"const { basename } = await heaptopImport('node:path');",
		'globalThis.heaptopPrintingTest = { url: here, required: sep, imported: basename(here), strict: this === undefined };',
	].join('\n');
	const { script, cache: compiled } = asPrintScript(bundle, join(dir, 'print.js'));
	writeFileSync(join(dir, 'print.js'), script);
	if (cache === 'built') writeFileSync(join(dir, 'print.cache'), compiled);
	if (cache === 'garbage') writeFileSync(join(dir, 'print.cache'), Buffer.from('not code V8 made'));
	return dir;
}

for (const cache of ['built', 'none', 'garbage'] as const) {
	test(`the printing build runs with its compiled code ${cache === 'built' ? 'beside it' : `(${cache})`}`, async () => {
		const dir = distWith(cache);
		seen.heaptopPrintingTest = undefined;
		await runPrintingBuild(pathToFileURL(join(dir, 'cli.js')).href);
		assert.deepEqual(seen.heaptopPrintingTest, {
			url: pathToFileURL(join(dir, 'print.js')).href,
			required: '/',
			imported: 'print.js',
			strict: true,
		});
	});
}

test('what the printing build throws reaches the start, as a module that throws', async () => {
	const dir = mkdtempSync(join(scratch, 'dist-'));
	const { script } = asPrintScript("await null; throw new Error('from cli.tsx');", join(dir, 'print.js'));
	writeFileSync(join(dir, 'print.js'), script);
	await assert.rejects(runPrintingBuild(pathToFileURL(join(dir, 'cli.js')).href), /from cli\.tsx/);
});

test('a bundle that is still a module is refused by the build', () => {
	for (const bundle of ["import fs from 'node:fs';", 'export const x = 1;', 'const url = import.meta.url;']) {
		assert.throws(() => asPrintScript(bundle, join(scratch, 'print.js')), SyntaxError, bundle);
	}
});
