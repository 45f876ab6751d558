import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { jsonText } from '../source/output/json-text.js';
import { memInfoDir } from './helpers/fixtures.js';
import { heaptop } from './helpers/heaptop.js';

/**
 * `--ascii` and a locale that is not UTF-8 mean pure ASCII on every output path, not only on the live screen:
 * every byte heaptop prints (stdout and stderr) is scanned for one above 0x7f.
 */

const cLocale = { LC_ALL: '', LC_CTYPE: '', LANG: 'C' };
const utf8Locale = { LC_ALL: '', LC_CTYPE: '', LANG: 'C.UTF-8' };
const threeAreas = join(memInfoDir, 'webassembly-pyscript-v1.27-three-areas.txt');
const fragmented = join(memInfoDir, 'webassembly-v1.27-fragmented-192k.txt');

/** The first character above 0x7f in `text` and where, or undefined. */
function firstNonAscii(text: string): string | undefined {
	for (let index = 0; index < text.length; index++) {
		const code = text.charCodeAt(index);
		if (code > 0x7f)
			return `U+${code.toString(16).padStart(4, '0')} at ${index}: …${text.slice(index - 20, index + 20)}…`;
	}
	return undefined;
}

// `unicode`: the output has characters the ASCII rule replaces in a UTF-8 locale (so the scan can fail on it).
// `lone`: a command that takes no other flag, so only the locale applies.
const paths: { name: string; args: string[]; unicode?: boolean; lone?: boolean }[] = [
	{ name: '--once', args: ['--demo', '--once'], unicode: true },
	{ name: '--once --json', args: ['--demo', '--once', '--json'] },
	{ name: 'inspect', args: ['inspect', threeAreas], unicode: true },
	{ name: 'inspect --all', args: ['inspect', '--all', fragmented], unicode: true },
	{ name: 'inspect --fit', args: ['inspect', fragmented, '--fit', '100k'] },
	{ name: '--help', args: ['--help'], lone: true },
	{ name: 'a usage error', args: ['--prot', '/dev/ttyACM0'] },
	{ name: 'the scenario list', args: ['--demo', '--list'], lone: true },
];

for (const path of paths) {
	test(`${path.name}: pure ASCII with --ascii and under LANG=C, not only on the live screen`, () => {
		const plain = heaptop(path.args, { env: utf8Locale });
		// The same output in a UTF-8 locale has the characters the ASCII rule replaces (so this test can fail).
		if (path.unicode) {
			assert.ok(firstNonAscii(plain.stdout + plain.stderr), `${path.name} prints non-ASCII in a UTF-8 locale`);
		}
		for (const [how, run] of [
			['--ascii', heaptop([...path.args, '--ascii'], { env: utf8Locale })],
			['LANG=C', heaptop(path.args, { env: cLocale })],
		] as const) {
			if (how === '--ascii' && path.lone) continue;
			assert.equal(run.code, plain.code, `${how}: same exit code (${run.stderr})`);
			assert.equal(firstNonAscii(run.stdout), undefined, `${how}: stdout of ${path.name}`);
			assert.equal(firstNonAscii(run.stderr), undefined, `${how}: stderr of ${path.name}`);
			assert.equal(run.stdout.split('\n').length, plain.stdout.split('\n').length, `${how}: same lines`);
		}
	});
}

test('JSON escapes what is not ASCII, so that it is ASCII in any locale and parses to the same strings', () => {
	const text = jsonText({ description: 'board · v1.22 … “rp2”' });
	assert.equal(firstNonAscii(text), undefined);
	assert.equal(text, '{"description":"board \\u00b7 v1.22 \\u2026 \\u201crp2\\u201d"}');
	assert.deepEqual(JSON.parse(text), { description: 'board · v1.22 … “rp2”' });
});
