import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { memInfoDir } from './helpers/fixtures.js';

/**
 * The package as a user gets it: `npm pack` of the built tree, `npm install -g` of the tarball into an empty
 * prefix, and the installed `heaptop` run from there, away from the checkout and its node_modules.
 */

const root = new URL('..', import.meta.url).pathname;
const version: string = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
const scratch = mkdtempSync(join(tmpdir(), 'heaptop-package-'));
const prefix = join(scratch, 'prefix');
const installed = join(prefix, 'bin', 'heaptop');
let tarball = '';
let entries: string[] = [];
const children: ChildProcess[] = [];

const hasSocat = spawnSync('socat', ['-V'], { stdio: 'ignore' }).status === 0;

before(() => {
	// --ignore-scripts: pack the dist that `npm test` has just built, rather than rebuild it under the other tests.
	const packed = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', scratch], {
		cwd: root,
		encoding: 'utf8',
	});
	const [info] = JSON.parse(packed) as Array<{ filename: string }>;
	tarball = join(scratch, info?.filename ?? '');
	entries = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).trim().split('\n');
	// Offline-friendly: the dependencies come from npm's cache when they are there.
	execFileSync('npm', ['install', '-g', '--prefix', prefix, tarball, '--prefer-offline', '--no-audit', '--no-fund'], {
		cwd: scratch,
		stdio: ['ignore', 'ignore', 'pipe'],
		timeout: 300_000,
	});
});

after(() => {
	for (const child of children) child.kill('SIGTERM');
	rmSync(scratch, { recursive: true, force: true });
});

/** The installed command, run from the scratch folder with nothing of the checkout on its path. */
function installedHeaptop(args: string[]) {
	const run = spawnSync(installed, args, {
		cwd: scratch,
		encoding: 'utf8',
		timeout: 60_000,
		env: { ...process.env, NO_COLOR: '1', NODE_PATH: '' },
	});
	return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

test('the tarball holds the built command and nothing else, with no two paths that differ only in case', () => {
	const files = entries.map((entry) => entry.replace(/^package\//, ''));
	assert.ok(files.includes('dist/cli.cjs'), files.join(' '));
	// The printing build's compiled code: used where the installing Node is the one that built it.
	assert.ok(files.includes('dist/print.cache'), files.join(' '));
	assert.ok(files.includes('package.json'));
	for (const file of files) {
		assert.match(
			file,
			/^(package\.json|README\.md|LICENSE|dist\/[a-z0-9-]+\.js|dist\/cli\.cjs|dist\/print\.cache)$/i,
			`${file} does not belong in the package`,
		);
	}
	const lower = new Map<string, string>();
	for (const file of files) {
		const other = lower.get(file.toLowerCase());
		assert.equal(other, undefined, `${file} and ${other} differ only in case`);
		lower.set(file.toLowerCase(), file);
	}
	assert.match(readFileSync(join(root, 'dist', 'cli.cjs'), 'utf8'), /^#!\/usr\/bin\/env node\n/);
});

test('the installed heaptop: --version, inspect of a capture, and the demo as JSON', () => {
	const shown = installedHeaptop(['--version']);
	assert.equal(shown.code, 0, shown.stderr);
	assert.equal(shown.stdout, `${version}\n`);

	const dump = join(memInfoDir, 'rp2040-pico-tutorial-pre1.20-mem_info1.txt');
	const inspected = installedHeaptop(['inspect', '--json', dump]);
	assert.equal(inspected.code, 0, inspected.stderr);
	assert.equal(JSON.parse(inspected.stdout).gc.totalBytes, 192064);

	const demo = installedHeaptop(['--demo', '--once', '--json']);
	assert.equal(demo.code, 0, demo.stderr);
	assert.equal(JSON.parse(demo.stdout).gc.totalBytes, 192064, 'the MicroPython VM runs from the installed package');
});

test(
	'the installed heaptop reads a board through its native serial binding',
	{ skip: !hasSocat && 'socat is missing (.ci/run installs it)' },
	async () => {
		const ptyPath = join(scratch, 'board');
		const board = spawn(installed, ['emulate', '--pty', ptyPath, '--heap', '64k'], {
			cwd: scratch,
			stdio: ['ignore', 'ignore', 'pipe'],
		});
		children.push(board);
		await new Promise<void>((resolve, reject) => {
			let log = '';
			const deadline = setTimeout(() => reject(new Error(`no board within 60 s: ${log}`)), 60_000);
			board.stderr?.on('data', (chunk: Buffer) => {
				log += chunk.toString();
				if (log.includes('virtual board on')) {
					clearTimeout(deadline);
					resolve();
				}
			});
			board.on('exit', (code) => reject(new Error(`emulate exited ${code}: ${log}`)));
		});
		const read = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
			const child = spawn(installed, ['--port', ptyPath, '--once', '--json'], { cwd: scratch });
			let stdout = '';
			let stderr = '';
			child.stdout.on('data', (chunk: Buffer) => {
				stdout += chunk.toString();
			});
			child.stderr.on('data', (chunk: Buffer) => {
				stderr += chunk.toString();
			});
			child.on('close', (code) => resolve({ code, stdout, stderr }));
		});
		assert.equal(read.code, 0, read.stderr);
		const { totalBytes } = JSON.parse(read.stdout).gc;
		// A 64 KiB heap, less the GC's own table: the board's figure, read over the pty by the binding.
		assert.ok(totalBytes > 60_000 && totalBytes < 65_536, `total ${totalBytes}`);
	},
);

test('npm install leaves package-lock.json byte for byte as committed (npm writes it in package.json indentation)', () => {
	const copy = join(scratch, 'lock-check');
	mkdirSync(copy);
	for (const file of ['package.json', 'package-lock.json']) copyFileSync(join(root, file), join(copy, file));
	execFileSync(
		'npm',
		['install', '--package-lock-only', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund'],
		{ cwd: copy, stdio: 'ignore', timeout: 120_000 },
	);
	const rewritten = readFileSync(join(copy, 'package-lock.json'), 'utf8');
	assert.ok(rewritten === readFileSync(join(root, 'package-lock.json'), 'utf8'), 'npm rewrote package-lock.json');
});
