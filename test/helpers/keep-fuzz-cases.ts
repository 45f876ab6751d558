/**
 * Keeps the fuzz cases worth keeping as fixtures: for each kind of warning the parser gives, the first seeded
 * mutation of a real capture (test/fixtures/mem_info) that gives it, written to test/fixtures/fuzz as
 * `<capture>-seed<N>.txt`. Run with `node --import tsx test/helpers/keep-fuzz-cases.ts`; it gives the same
 * files each time. The fuzz test reads them back on every run, before its fresh cases.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllMemInfo } from '../../source/heap/parse.js';
import { memInfoFixtures } from './fixtures.js';
import { mutate } from './mutate-dump.js';

const directory = new URL('../fixtures/fuzz/', import.meta.url).pathname;
mkdirSync(directory, { recursive: true });
for (const name of readdirSync(directory)) if (name.endsWith('.txt')) rmSync(join(directory, name));

const seen = new Set<string>();
for (const { name, text } of memInfoFixtures()) {
	for (let seed = 1; seed <= 140; seed++) {
		const mutated = mutate(text, seed);
		const snapshots = parseAllMemInfo(mutated.text);
		// A warning's kind is its wording up to the first colon, numbers, labels and quoted letters taken out.
		const kinds = snapshots.flatMap((snapshot) =>
			snapshot.warnings.map(
				(warning) =>
					warning
						.replace(/[0-9a-f]*\d[0-9a-f]*/g, 'N')
						.replace(/letters .* are/, 'letters are')
						.split(':')[0] ?? '',
			),
		);
		const fresh = kinds.filter((kind) => !seen.has(kind));
		if (fresh.length === 0) continue;
		for (const kind of fresh) seen.add(kind);
		const file = `${name.replace(/\.txt$/, '')}-seed${seed}.txt`;
		writeFileSync(join(directory, file), mutated.text, 'utf8');
		console.log(`${file}: ${mutated.applied.join(', ')}: ${fresh.join(' | ').slice(0, 160)}`);
	}
}
