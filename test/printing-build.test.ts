import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { asPrintScript, printImportProblems } from '../scripts/print-script.js';
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
		await runPrintingBuild(pathToFileURL(join(dir, 'cli.cjs')).href);
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
	await assert.rejects(runPrintingBuild(pathToFileURL(join(dir, 'cli.cjs')).href), /from cli\.tsx/);
});

test('a bundle that is still a module is refused by the build', () => {
	for (const bundle of ["import fs from 'node:fs';", 'export const x = 1;', 'const url = import.meta.url;']) {
		assert.throws(() => asPrintScript(bundle, join(scratch, 'print.js')), SyntaxError, bundle);
	}
});

test('the compiled code of another build is not used, even for a script of the same length', () => {
	// V8 checks a cache against the source's length only: given A's code for B, it would run A. Run in a process
	// of its own: in this one, V8 has both scripts compiled already and would not read the cache at all.
	const made = (letter: string, dir: string) =>
		asPrintScript(`process.stdout.write('${letter.repeat(4)}');`, join(dir, 'print.js'));
	const dir = mkdtempSync(join(scratch, 'dist-'));
	const a = made('A', dir);
	const b = made('B', dir);
	assert.equal(a.script.length, b.script.length);
	writeFileSync(join(dir, 'print.js'), b.script);
	writeFileSync(join(dir, 'print.cache'), a.cache);
	const start = pathToFileURL(join(dir, 'cli.cjs')).href;
	const loader = new URL('../source/commands/printing-build.ts', import.meta.url).href;
	const code = `const { runPrintingBuild } = await import(${JSON.stringify(loader)}); await runPrintingBuild(${JSON.stringify(start)});`;
	const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8' });
	assert.equal(run.status, 0, run.stderr);
	assert.equal(run.stdout, 'BBBB');
});

test('the build names what a script could not load: module imports, and requires of packages not known to be CommonJS', () => {
	const imports = [
		{ path: 'node:fs', kind: 'require-call', external: true },
		{ path: 'fs', kind: 'require-call', external: true },
		{ path: 'ws', kind: 'require-call', external: true },
		{ path: 'source/heap/parse.ts', kind: 'require-call' },
		{ path: '@micropython/micropython-webassembly-pyscript', kind: 'require-call', external: true },
		{ path: 'node:process', kind: 'import-statement', external: true },
	] as const;
	const problems = printImportProblems({
		inputs: {},
		outputs: {
			'dist/print.js': { bytes: 0, inputs: {}, exports: [], imports: imports.map((entry) => ({ ...entry })) },
		},
	});
	assert.equal(problems.length, 2, problems.join('\n'));
	assert.match(problems[0] ?? '', /requires @micropython\/micropython-webassembly-pyscript: import it through/);
	assert.match(problems[1] ?? '', /imports node:process \(import-statement\)/);
});
