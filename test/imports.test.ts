import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createEmulatorTarget } from '../source/measure/emulator-target.js';
import { measureImports } from '../source/measure/imports.js';
import { installPythonFiles } from '../source/measure/install-files.js';

let directory: string;
before(() => {
	directory = mkdtempSync(join(tmpdir(), 'heaptop-imports-'));
	writeFileSync(join(directory, 'keeps_buffer.py'), 'buffer = bytearray(10000)\n');
	writeFileSync(join(directory, 'uses_other.py'), "import keeps_small\nNAME = 'uses_other'\n");
	writeFileSync(join(directory, 'keeps_small.py'), 'data = [0] * 50\n');
	mkdirSync(join(directory, 'pkg'));
	writeFileSync(join(directory, 'pkg', '__init__.py'), "label = 'quote \\' and \\n newline'\n");
});
after(() => rmSync(directory, { recursive: true, force: true }));

test('a module that keeps a 10,000-byte buffer costs at least 10,000 and under 11,000 bytes', async () => {
	const target = await createEmulatorTarget(192 * 1024);
	try {
		await installPythonFiles(target, directory);
		const [cost] = await measureImports(target, ['keeps_buffer'], () => performance.now());
		assert.ok(cost);
		assert.equal(cost.error, undefined);
		assert.ok(cost.retainedBytes >= 10000 && cost.retainedBytes < 11000, `measured ${cost.retainedBytes} B`);
		assert.equal(cost.alreadyImported, false);
	} finally {
		target.close();
	}
});

test('modules pulled in are listed, a second import costs nothing, and a missing module says so', async () => {
	const target = await createEmulatorTarget(192 * 1024);
	try {
		const copied = await installPythonFiles(target, directory);
		assert.deepEqual(copied, ['keeps_buffer.py', 'keeps_small.py', 'pkg/__init__.py', 'uses_other.py']);
		const costs = await measureImports(target, ['uses_other', 'keeps_small', 'pkg', 'no_such_module'], () => 0);
		const [usesOther, keepsSmall, pkg, missing] = costs;
		assert.deepEqual(usesOther?.pulledIn, ['keeps_small']);
		assert.equal(keepsSmall?.alreadyImported, true);
		assert.equal(keepsSmall?.retainedBytes, 0);
		assert.equal(pkg?.error, undefined, 'a file with quotes and newlines is copied intact');
		assert.match(missing?.error ?? '', /ImportError: no module named 'no_such_module'/);
	} finally {
		target.close();
	}
});
