import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the real captures live. */
export const memInfoDir = new URL('../fixtures/mem_info/', import.meta.url).pathname;

/** Every mem_info fixture by file name, read as latin1 so that every byte maps to one character. */
export function memInfoFixtures(): { name: string; text: string }[] {
	return readdirSync(memInfoDir)
		.filter((name) => name.endsWith('.txt'))
		.sort()
		.map((name) => ({ name, text: readMemInfoFixture(name) }));
}

/** One fixture's text. */
export function readMemInfoFixture(name: string): string {
	return readFileSync(join(memInfoDir, name), 'latin1');
}
