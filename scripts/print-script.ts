import { createHash } from 'node:crypto';
import { builtinModules } from 'node:module';
import { Script } from 'node:vm';
import type { Metafile } from 'esbuild';
import { buildIdLength, buildIdPrefix, printScriptParameters } from '../source/commands/printing-build.js';

/**
 * The printing build as a script with V8's compiled code beside it. As an ES module, Node compiled all of
 * `dist/print.js` (some 370 KB) on every run: a sixth of a `--once --json --port` run's own time, for a
 * file that is the same until the next build. Node 20 keeps no compiled code for modules, but a script
 * compiled through `vm.Script` can be given the code V8 made for it (`cachedData`); V8 uses it when its
 * version and flags are those it was made with, and the start (source/commands/printing-build.ts) only gives
 * it to the print.js of the same build. The code is made by the Node that builds: a clone's `npm install`
 * uses it; a package installed by another Node version compiles print.js as it loads, as before.
 *
 * So the bundle (esbuild's ES module output, with no `import` statement, `import.meta` or `import()`; see
 * printBuildOptions) is wrapped in one async function, which keeps its top-level `await`, and which the
 * start calls with what a module would have had: `require`, the module's URL, and an `import()` for the
 * packages that are ES modules only.
 */

/**
 * The bundle's text as the script's (the build's id line, then the function expression around it), and its
 * compiled code behind the same id. Throws if the bundle is not a script's.
 */
export function asPrintScript(bundle: string, filename: string): { script: string; cache: Buffer } {
	// A `#!` line is only allowed at the very start of a file.
	const body = bundle.startsWith('#!') ? bundle.slice(bundle.indexOf('\n') + 1) : bundle;
	const expression = `(async function (${printScriptParameters.join(', ')}) {"use strict";\n${body}\n})`;
	const id = createHash('sha256').update(expression).digest('hex').slice(0, buildIdLength);
	const script = `${buildIdPrefix}${id}\n${expression}`;
	// Compiling it is the check: an import statement, an export or `import.meta` left in it is a SyntaxError.
	const compiled = new Script(script, { filename });
	return { script, cache: Buffer.concat([Buffer.from(id, 'latin1'), compiled.createCachedData()]) };
}

// What the script may load from outside the bundle: Node's own modules and the CommonJS packages named here.
// An ES-module-only package is only loaded through source/sources/import-package.ts.
const requirable = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`), 'ws']);

/**
 * What in the bundle a script cannot load, one line each: an import the build left as a module's, or a
 * require of a package not known to be CommonJS. The printing build turns every import() into a require, so a
 * package that is an ES module only would fail only when a run reached it; the build fails instead.
 */
export function printImportProblems(metafile: Metafile): string[] {
	const problems: string[] = [];
	for (const [file, output] of Object.entries(metafile.outputs)) {
		for (const imported of output.imports) {
			if (!imported.external) continue;
			if (imported.kind === 'require-call' && requirable.has(imported.path)) continue;
			problems.push(
				imported.kind === 'require-call'
					? `${file} requires ${imported.path}: import it through source/sources/import-package.ts, or name it in scripts/print-script.ts if it is CommonJS`
					: `${file} imports ${imported.path} (${imported.kind}): a script can only require`,
			);
		}
	}
	return problems;
}
