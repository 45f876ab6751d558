/**
 * `npm run build`: bundles heaptop into `dist/` with esbuild. `tsc` only type-checks (`npm run typecheck`).
 *
 * Why a bundle: most of heaptop's start-up was Node finding, reading and compiling modules one by one. Bundled,
 * `dist/cli.js` (start.ts) answers `--version` and loads the rest, the argument parsing and the dispatch
 * (cli.tsx), from one of two builds of it, whichever the command line needs (source/commands/choose-build.ts):
 * - the whole program, whose commands are each a chunk loaded by the `import()` that `cli.tsx` already does for
 *   it, so that the live screen loads Ink and React and nothing of the other commands;
 * - the printing build, `dist/print.js`: everything but the screen, in one file, for every run that cannot show
 *   it (`--once`, `--json`, `inspect`, scripts and pipes). Split, `--once --json --port` loaded some forty
 *   chunks, and finding and linking them was a fifth of its time.
 * A process runs one of the two, never both, so no module is there twice with two states.
 * The worker threads are entry points of their own beside the chunks (they are found by a URL relative to the
 * module that starts them, and every module of both builds lives in `dist/` itself).
 *
 * What is bundled and how: scripts/bundle-options.ts.
 */
import { rm } from 'node:fs/promises';
import { analyzeMetafile, build } from 'esbuild';
import { bundleOptions, printBuildOptions } from './bundle-options.js';

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
const printing = await build({
	...printBuildOptions(root),
	entryPoints: { print: 'cli.tsx' },
	outdir,
	entryNames: '[name]',
	metafile: process.argv.includes('--analyze'),
});
for (const metafile of [result.metafile, printing.metafile]) {
	if (!metafile) continue;
	process.stdout.write(await analyzeMetafile(metafile));
}
