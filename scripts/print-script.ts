import { Script } from 'node:vm';

/**
 * The printing build as a script with V8's compiled code beside it. As an ES module, Node compiled all of
 * `dist/print.js` (some 370 KB) on every run: a sixth of a `--once --json --port` run's own time, for a
 * file that is the same until the next build. Node 20 keeps no compiled code for modules, but a script
 * compiled through `vm.Script` can be given the code V8 made for it (`cachedData`), which V8 checks against
 * the source and its own version and flags before using, and compiles afresh if they differ.
 *
 * So the bundle (esbuild's ES module output, with no `import` statement, `import.meta` or `import()`; see
 * printBuildOptions) is wrapped in one async function, which keeps its top-level `await`, and which the
 * start (source/commands/printing-build.ts) calls with what a module would have had: `require`, the module's
 * URL, and an `import()` for the packages that are ES modules only.
 */

/** The parameters of the function the script evaluates to; the start passes them in this order. */
export const printScriptParameters = ['require', 'heaptopModuleUrl', 'heaptopImport'] as const;

/** The bundle's text as the script's: the function expression around it. Throws if it is not a script's. */
export function asPrintScript(bundle: string, filename: string): { script: string; cache: Buffer } {
	// A `#!` line is only allowed at the very start of a file.
	const body = bundle.startsWith('#!') ? bundle.slice(bundle.indexOf('\n') + 1) : bundle;
	const script = `(async function (${printScriptParameters.join(', ')}) {"use strict";\n${body}\n})`;
	// Compiling it is the check: an import statement, an export or `import.meta` left in it is a SyntaxError.
	const compiled = new Script(script, { filename });
	return { script, cache: compiled.createCachedData() };
}
