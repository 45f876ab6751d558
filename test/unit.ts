/**
 * `npm run test:unit`: the tests of the pure modules (parser, analysis, protocol, layout, reducers), all in one
 * process, to run after every change. `npm test` still runs every file, each in a process of its own, for CI.
 *
 * Which files count is decided by what they load, not by a list to keep up to date: a test file is a unit test
 * when nothing it imports, followed through the repository's own files, reaches a process, a thread, a socket,
 * the serial binding or the MicroPython VM. A new test of a pure module is picked up as soon as it is written;
 * a test that starts a board, the emulator or the built command never is.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(new URL('..', import.meta.url).pathname);
const testDir = join(root, 'test');

/** Packages and built-in modules that mean "this test does I/O or runs the VM". */
const heavy = [
	/^(node:)?child_process$/,
	/^(node:)?worker_threads$/,
	/^(node:)?net$/,
	/^(node:)?dgram$/,
	/^(node:)?http$/,
	/^serialport$/,
	/^@serialport\//,
	/^@micropython\//,
];

const specifierPattern =
	/(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The repository file a relative `.js` specifier names (sources are `.ts`/`.tsx` until built). */
function resolveLocal(fromFile: string, specifier: string): string | undefined {
	const base = resolve(dirname(fromFile), specifier);
	const stem = base.replace(/\.(js|jsx)$/, '');
	for (const candidate of [base, `${stem}.ts`, `${stem}.tsx`]) {
		try {
			readFileSync(candidate);
			return candidate;
		} catch {}
	}
	return undefined;
}

const verdicts = new Map<string, string | undefined>();

/** Why `file` is not pure (the chain to the first heavy import), or undefined when it is. */
function heavyReason(file: string, visiting = new Set<string>()): string | undefined {
	if (verdicts.has(file)) return verdicts.get(file);
	if (visiting.has(file)) return undefined;
	visiting.add(file);
	const text = readFileSync(file, 'utf8');
	let reason: string | undefined;
	for (const match of text.matchAll(specifierPattern)) {
		const specifier = match[1] ?? match[2] ?? '';
		if (heavy.some((pattern) => pattern.test(specifier))) {
			reason = specifier;
			break;
		}
		if (!specifier.startsWith('.')) continue;
		const local = resolveLocal(file, specifier);
		if (local === undefined) continue;
		const inner = heavyReason(local, visiting);
		if (inner !== undefined) {
			reason = `${relative(root, local)} → ${inner}`;
			break;
		}
	}
	visiting.delete(file);
	verdicts.set(file, reason);
	return reason;
}

const files = readdirSync(testDir)
	.filter((name) => /\.test\.tsx?$/.test(name))
	.sort()
	.map((name) => join(testDir, name));
const unit = files.filter((file) => heavyReason(file) === undefined);

if (process.argv.includes('--list')) {
	for (const file of files) {
		const reason = heavyReason(file);
		process.stdout.write(
			`${reason === undefined ? 'unit ' : 'whole'} ${relative(root, file)}${reason ? `  (${reason})` : ''}\n`,
		);
	}
} else {
	// The fuzz test's fresh cases: a third of npm test's here, so that this run stays well under 30 s.
	process.env.HEAPTOP_FUZZ_SEEDS ??= '45';
	// Importing registers each file's tests with node:test, which runs them all once this module is done.
	for (const file of unit) await import(pathToFileURL(file).href);
}
