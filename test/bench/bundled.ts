import { mkdirSync, rmSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { bundleOptions } from '../../scripts/bundle-options.js';

const root = new URL('../..', import.meta.url).pathname;

/**
 * A bench module bundled as `npm run build` bundles heaptop (same packages inside, same patches), so that it
 * times the code users run rather than the sources under tsx. The bundle goes under node_modules/.cache, where
 * the packages left outside it (React) resolve as they do from dist/.
 */
export async function importBundled<Module>(entry: string): Promise<Module> {
	const outdir = `${root}node_modules/.cache/heaptop-bench`;
	rmSync(outdir, { recursive: true, force: true });
	mkdirSync(outdir, { recursive: true });
	const name = entry.replace(/^.*[\\/]/, '').replace(/\.[jt]sx?$/, '');
	await build({
		...bundleOptions(root),
		entryPoints: { [name]: entry },
		outdir,
		// .mjs: an ES module whatever the folder's package.json says, and left alone by tsx's loader.
		outExtension: { '.js': '.mjs' },
		logLevel: 'error',
	});
	return (await import(pathToFileURL(`${outdir}/${name}.mjs`).href)) as Module;
}
