/**
 * `npm run build`: bundles heaptop into `dist/` with esbuild. `tsc` only type-checks (`npm run typecheck`).
 *
 * Why a bundle: most of heaptop's start-up was Node finding, reading and compiling modules one by one. Bundled,
 * `dist/cli.js` (start.ts) answers `--version` and loads the rest: the argument parsing and the dispatch
 * (cli.tsx), whose commands are each a chunk loaded by the `import()` that `cli.tsx` already does for it, so
 * `--once --json --port` loads only its own path. The worker threads are entry points of their own beside the chunks (they are found by a URL relative
 * to the module that starts them, and every module of the bundle lives in `dist/` itself).
 *
 * What is bundled and how: scripts/bundle-options.ts.
 */
import { rm } from 'node:fs/promises';
import { build } from 'esbuild';
import { bundleOptions } from './bundle-options.js';

const root = new URL('..', import.meta.url).pathname;
const outdir = `${root}dist`;

await rm(outdir, { recursive: true, force: true });
const result = await build({
	...bundleOptions(root),
	entryPoints: {
		cli: 'start.ts',
		'virtual-board-worker': 'source/sources/virtual-board-worker.ts',
		'run-worker': 'source/commands/run-worker.ts',
	},
	outdir,
	entryNames: '[name]',
	chunkNames: '[name]-[hash]',
	metafile: process.argv.includes('--analyze'),
});
if (result.metafile) {
	const { analyzeMetafile } = await import('esbuild');
	process.stdout.write(await analyzeMetafile(result.metafile));
}
