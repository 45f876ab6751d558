import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { formatImportTable, formatProfileTable } from '../source/output/measure-tables.js';
import { progressNotice } from '../source/ui/layout/screen-props.js';
import { glyphsFor } from '../source/ui/text/glyphs.js';

/**
 * "Every number has its unit, and one size is worded one way everywhere" (issue 13): a size is bytes, grouped
 * by thousands, `187,168 B`, as `formatBytes` writes it. The screen once said 192 KiB, 187.6 KiB and
 * 192,064 B for one heap.
 */

const root = new URL('..', import.meta.url).pathname;

/** Every source file that can put text in front of a user. */
function sourceFiles(): string[] {
	const files: string[] = [join(root, 'cli.tsx')];
	const walk = (dir: string) => {
		for (const entry of readdirSync(dir, { withFileTypes: true })) {
			const path = join(dir, entry.name);
			if (entry.isDirectory()) walk(path);
			else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) files.push(path);
		}
	};
	walk(join(root, 'source'));
	return files;
}

/** The file without its comments: doc comments may speak of KiB (the VM's 192 KiB default), output may not. */
function withoutComments(text: string): string {
	return (
		text
			.replace(/\/\*[\s\S]*?\*\//g, '')
			// A line comment starts after a space or at the line's start; `socket://` is not one.
			.replace(/(^|\s)\/\/.*$/gm, '$1')
	);
}

// A unit of size other than B: binary or decimal prefixes, spelt any way a person might.
const OTHER_UNIT =
	/\d\s?(?:KiB|MiB|GiB|kB|KB|MB|GB)\b|\}\s?(?:KiB|MiB|GiB|kB|KB|MB|GB)\b|\b(?:kibibytes?|kilobytes?|megabytes?)\b/;

test('no source file words a size in KiB, KB, MiB or MB in what it prints', () => {
	const found: string[] = [];
	for (const file of sourceFiles()) {
		const lines = withoutComments(readFileSync(file, 'utf8')).split('\n');
		for (const [index, line] of lines.entries()) {
			if (OTHER_UNIT.test(line)) found.push(`${relative(root, file)}:${index + 1}: ${line.trim()}`);
		}
	}
	assert.deepEqual(found, []);
});

test('the scan finds a size worded another way, in a string or a template', () => {
	// As the emulate command's start line had it: a template's placeholder, then the unit.
	assert.match(withoutComments(`log(\`$${'{'}heapKiB} KiB heap\`)`), OTHER_UNIT);
	assert.match(withoutComments("caption: 'one 10 KB buffer'"), OTHER_UNIT);
	assert.doesNotMatch(withoutComments('// the default 192 KiB heap\nconst url = "socket://host:1";'), OTHER_UNIT);
});

/** Each size in `text`: a number and a unit of bytes after it. */
const sizes = (text: string) =>
	[...text.matchAll(/[\d.,]+\s?(?:B|KiB|MiB|KB|kB|MB|bytes)\b/g)].map((match) => match[0]);
const oneWording = /^\d{1,3}(?:,\d{3})* B$/;

test('the progress line words the bytes read and expected as every size is worded, at any size', () => {
	for (const [received, expected] of [
		[900, 9000],
		[45_056, 614_400],
		[3_500_000, 8_388_608],
	] as const) {
		const notice = progressNotice(
			{
				status: 'live',
				readInFlight: true,
				progress: { receivedBytes: received, expectedBytes: expected, atMs: 0 },
				points: [],
				lowWater: {} as never,
				logLines: [],
			},
			glyphsFor(false),
		);
		assert.ok(notice);
		const found = sizes(notice.text);
		assert.equal(found.length, 2, notice.text);
		for (const size of found) assert.match(size, oneWording, notice.text);
	}
});

test('the imports and profile tables word every size the one way, their header line included', () => {
	const where = 'emulated MicroPython · heap 192,064 B';
	const imports = formatImportTable(
		[
			{ module: 'json', retainedBytes: 12_352, pulledIn: ['re'], elapsedMs: 3.2, alreadyImported: false },
			{ module: 'big', retainedBytes: 1_250_000, pulledIn: [], elapsedMs: 40, alreadyImported: false },
		],
		where,
	);
	const profile = formatProfileTable(
		[
			{ line: 1, firstLine: 'buf = bytearray(20000)', retainedBytes: 20_016, garbageBytes: 64 },
			{
				line: 2,
				firstLine: 'more = bytearray(200000)',
				retainedBytes: 0,
				garbageBytes: 0,
				failure: {
					type: 'MemoryError',
					traceback: 'MemoryError: memory allocation failed',
					freeBytes: 170_000,
					largestFreeBytes: 9_000,
				},
			},
		],
		where,
	);
	for (const text of [imports, profile]) {
		const found = sizes(text);
		assert.ok(found.length >= 4, text);
		for (const size of found) assert.match(size, oneWording, text);
	}
});
