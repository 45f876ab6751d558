import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

/** What the printing build's script evaluates to (scripts/print-script.ts): cli.tsx, run when called. */
type PrintingBuild = (
	require: NodeRequire,
	moduleUrl: string,
	importPackage: (name: string) => Promise<unknown>,
) => Promise<void>;

/**
 * Runs the printing build, `print.js` beside `startUrl`, with the code V8 compiled for it at build time
 * (`print.cache`, scripts/print-script.ts). A cache that is missing, or made by another Node (V8 checks its
 * version, flags and the source), only costs the compile it would have saved.
 */
export async function runPrintingBuild(startUrl: string): Promise<void> {
	const url = new URL('./print.js', startUrl);
	let cachedData: Buffer | undefined;
	try {
		cachedData = readFileSync(new URL('./print.cache', startUrl));
	} catch {
		cachedData = undefined;
	}
	const script = new Script(readFileSync(url, 'utf8'), { filename: fileURLToPath(url), cachedData });
	const run = script.runInThisContext() as PrintingBuild;
	// The packages are found from here as from print.js: both live in dist/.
	await run(createRequire(url), url.href, (name) => import(name));
}
