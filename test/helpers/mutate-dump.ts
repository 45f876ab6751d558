/**
 * Seeded mutations of real dumps, for the fuzz test and for the fuzz fixtures it keeps: each mutation is one
 * thing a bad cable, a buggy firmware or a careless paste does to a dump. Deterministic: a seed and a
 * capture always give the same bytes.
 */

/** A small linear congruential generator, so that a failing case is named by its seed. */
export function random(seed: number): () => number {
	let state = (seed * 2654435761) >>> 0;
	return () => {
		state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
		return state / 2 ** 32;
	};
}

const HOSTILE = [
	'\x1b]0;pwned\x07',
	'\x1b[2J',
	'\x1b[31m',
	'\x1bP1$r\x1b\\',
	'\u009b2J',
	'\u0085',
	'\u202E',
	'\u200B',
	'\uFEFF',
	'\u2028',
	'\r',
	'\b',
	'\x00',
	'\x04',
	'\x7f',
	'\ud800',
	'é',
	'🐍',
	't',
	'=',
	'.',
	'h',
	'Z',
	' ',
	'\n',
];
const NUMBERS = ['0', '1', '9007199254740993', '99999999999999999999', '9'.repeat(400), '8388608', '1073741824'];

export type Mutation = { name: string; apply: (text: string, next: () => number) => string };

const pick = <T>(items: readonly T[], next: () => number): T => items[Math.floor(next() * items.length)] as T;

const lines = (text: string) => text.split('\n');

export const MUTATIONS: readonly Mutation[] = [
	{
		name: 'hostile characters',
		apply: (text, next) => {
			let out = text;
			for (let count = 1 + Math.floor(next() * 5); count > 0; count--) {
				const at = Math.floor(next() * out.length);
				out = out.slice(0, at) + pick(HOSTILE, next) + out.slice(at + (next() < 0.5 ? 1 : 0));
			}
			return out;
		},
	},
	{
		name: 'a number replaced',
		apply: (text, next) => {
			const numbers = [...text.matchAll(/\d+/g)];
			const target = numbers.length === 0 ? undefined : pick(numbers, next);
			if (!target || target.index === undefined) return text;
			return text.slice(0, target.index) + pick(NUMBERS, next) + text.slice(target.index + target[0].length);
		},
	},
	{
		name: 'an absurd elision',
		apply: (text, next) => {
			const all = lines(text);
			const at = Math.floor(next() * all.length);
			all.splice(at, 0, `       (${pick(NUMBERS, next)} lines all free)`);
			return all.join('\n');
		},
	},
	{
		name: 'cut off',
		apply: (text, next) => text.slice(0, Math.floor(next() * text.length)),
	},
	{
		name: 'a line lost or doubled',
		apply: (text, next) => {
			const all = lines(text);
			const at = Math.floor(next() * all.length);
			if (next() < 0.5) all.splice(at, 1);
			else all.splice(at, 0, all[at] ?? '');
			return all.join('\n');
		},
	},
	{
		name: 'a row damaged',
		apply: (text, next) => {
			const all = lines(text);
			const rows = all.flatMap((line, index) => (/^[0-9a-f]{5,8}: /.test(line) ? [index] : []));
			if (rows.length === 0) return text;
			const index = pick(rows, next);
			const line = all[index] ?? '';
			all[index] = next() < 0.5 ? line.slice(0, Math.floor(next() * line.length)) : `${line}${line.slice(10)}`;
			return all.join('\n');
		},
	},
	{
		name: 'line endings mixed',
		apply: (text, next) => text.replace(/\n/g, () => pick(['\n', '\r\n', '\r\r\n', '\n\x04'], next)),
	},
];

/** One seeded case: a capture with one to three mutations. */
export function mutate(text: string, seed: number): { text: string; applied: string[] } {
	const next = random(seed);
	let out = text;
	const applied: string[] = [];
	for (let count = 1 + Math.floor(next() * 3); count > 0; count--) {
		const mutation = pick(MUTATIONS, next);
		out = mutation.apply(out, next);
		applied.push(mutation.name);
	}
	return { text: out, applied };
}
