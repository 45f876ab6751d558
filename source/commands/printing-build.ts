import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

/**
 * The names the printing build's code is given what a module would have had by (scripts/print-script.ts
 * wraps the bundle in a function of these parameters; `runPrintingBuild` passes them in this order).
 */
export const printScriptParameters = ['require', 'heaptopModuleUrl', 'heaptopImport'] as const;

/** What the printing build's script evaluates to: cli.tsx, run when called. */
type PrintingBuild = (
	require: NodeRequire,
	moduleUrl: string,
	importPackage: (name: string) => Promise<unknown>,
) => Promise<void>;

/**
 * How the script and its compiled code name the build they belong to: print.js starts with this line and the
 * build's id, print.cache with the same id, then V8's data. V8 itself checks the cache against its own version
 * and flags but against the source's length only: a cache beside a print.js of another build (copied in, or
 * left by a build that stopped half way) could run that other build's code. A hand edit of print.js that keeps
 * its length and id is not caught: rebuild, or delete print.cache.
 */
export const buildIdPrefix = '// heaptop printing build ';
/** Hex digits of a build id. */
export const buildIdLength = 32;

/** The compiled code for `source`, if `cache` was made for it; undefined otherwise. */
export function cachedDataFor(source: string, cache: Buffer | undefined): Buffer | undefined {
	if (!cache || !source.startsWith(buildIdPrefix)) return undefined;
	const id = source.slice(buildIdPrefix.length, buildIdPrefix.length + buildIdLength);
	if (id.length !== buildIdLength || cache.toString('latin1', 0, buildIdLength) !== id) return undefined;
	return cache.subarray(buildIdLength);
}

/**
 * Runs the printing build, `print.js` beside `startUrl`, with the code V8 compiled for it at build time
 * (`print.cache`, scripts/print-script.ts). A cache that is missing, of another build, or made by another
 * Node (another version, or V8 flags such as --max-old-space-size) only costs the compile it would have saved.
 */
export async function runPrintingBuild(startUrl: string): Promise<void> {
	const url = new URL('./print.js', startUrl);
	const source = readFileSync(url, 'utf8');
	let cache: Buffer | undefined;
	try {
		cache = readFileSync(new URL('./print.cache', startUrl));
	} catch {
		cache = undefined;
	}
	const script = new Script(source, { filename: fileURLToPath(url), cachedData: cachedDataFor(source, cache) });
	const run = script.runInThisContext() as PrintingBuild;
	// The packages are found from here as from print.js: both live in dist/.
	await run(createRequire(url), url.href, (name) => import(name));
}
