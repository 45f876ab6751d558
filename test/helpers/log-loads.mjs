/**
 * `node --import ./test/helpers/log-loads.mjs …`: appends to the file HEAPTOP_TEST_LOADS every module file
 * the process resolves (one `file:` URL a line, from a resolve hook), every script it compiles through
 * `vm.Script` (a `file:` URL too, then `script-cache accepted`, `rejected` or `none`: what became of the
 * compiled code it was given), and at exit the Node built-ins it loaded (`builtin NAME` lines, from
 * process.moduleLoadList). For tests of what a run loads.
 */
import { appendFileSync } from 'node:fs';
import { register, syncBuiltinESMExports } from 'node:module';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';

const file = process.env.HEAPTOP_TEST_LOADS;
if (file) {
	register('./log-loads-hooks.mjs', import.meta.url, { data: { file } });
	const Script = vm.Script;
	vm.Script = class LoggedScript extends Script {
		constructor(code, options) {
			super(code, options);
			if (typeof options?.filename !== 'string') return;
			const cache = options.cachedData === undefined ? 'none' : this.cachedDataRejected ? 'rejected' : 'accepted';
			appendFileSync(file, `${pathToFileURL(options.filename).href}\nscript-cache ${cache}\n`);
		}
	};
	// The named export (`import { Script } from 'node:vm'`) is the one the start uses.
	syncBuiltinESMExports();
	process.on('exit', () => {
		const builtins = process.moduleLoadList
			.filter((entry) => entry.startsWith('NativeModule '))
			.map((entry) => `builtin ${entry.slice('NativeModule '.length)}\n`);
		appendFileSync(file, builtins.join(''));
	});
}
