/**
 * `node --import ./test/helpers/log-loads.mjs …`: appends to the file HEAPTOP_TEST_LOADS every module file
 * the process resolves (one `file:` URL a line, from a resolve hook), and at exit the Node built-ins it
 * loaded (`builtin NAME` lines, from process.moduleLoadList). For tests of what a run loads.
 */
import { appendFileSync } from 'node:fs';
import { register } from 'node:module';

const file = process.env.HEAPTOP_TEST_LOADS;
if (file) {
	register('./log-loads-hooks.mjs', import.meta.url, { data: { file } });
	process.on('exit', () => {
		const builtins = process.moduleLoadList
			.filter((entry) => entry.startsWith('NativeModule '))
			.map((entry) => `builtin ${entry.slice('NativeModule '.length)}\n`);
		appendFileSync(file, builtins.join(''));
	});
}
