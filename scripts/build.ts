/**
 * `npm run build`: bundles heaptop into `dist/` with esbuild. `tsc` only type-checks (`npm run typecheck`).
 *
 * Why a bundle: most of heaptop's start-up was Node finding, reading and compiling modules one by one. Bundled,
 * `dist/cli.cjs` (start.ts, one CommonJS file: `startBuildOptions` says why) answers `--version` and loads the
 * rest, the argument parsing and the dispatch (cli.tsx), from one of two builds of it, whichever the command
 * line needs (source/commands/choose-build.ts):
 * - the whole program, `dist/main.js`, whose commands are each a chunk loaded by the `import()` that `cli.tsx`
 *   already does for it, so that the live screen loads Ink and React and nothing of the other commands;
 * - the printing build, `dist/print.js`: everything but the screen, in one file, for every run that cannot show
 *   it (`--once`, `--json`, `inspect`, scripts and pipes). Split, `--once --json --port` loaded some forty
 *   chunks, and finding and linking them was a fifth of its time. It is a script, with the code V8 compiled
 *   for it beside it (`dist/print.cache`), so that a run does not compile it again (scripts/print-script.ts).
 * A process runs one of the two, never both, so no module is there twice with two states.
 * The worker threads are entry points of their own beside the chunks (they are found by a URL relative to the
 * module that starts them, and every module of both builds lives in `dist/` itself).
 *
 * What is bundled and how: scripts/bundle-options.ts.
 */
import { rm, writeFile } from 'node:fs/promises';
import { analyzeMetafile, build } from 'esbuild';
import { bundleOptions, printBuildOptions, startBuildOptions } from './bundle-options.js';
import { asPrintScript, printImportProblems } from './print-script.js';

const root = new URL('..', import.meta.url).pathname;
const outdir = `${root}dist`;

await rm(outdir, { recursive: true, force: true });
const result = await build({
	...bundleOptions(root),
	entryPoints: {
		main: 'cli.tsx',
		'virtual-board-worker': 'source/sources/virtual-board-worker.ts',
		'run-worker': 'source/commands/run-worker.ts',
	},
	outdir,
	entryNames: '[name]',
	chunkNames: '[name]-[hash]',
	metafile: process.argv.includes('--analyze'),
});
await build({
	...startBuildOptions(root),
	entryPoints: { cli: 'start.ts' },
	outdir,
	entryNames: '[name]',
	outExtension: { '.js': '.cjs' },
});
const printing = await build({
	...printBuildOptions(root),
	entryPoints: { print: 'cli.tsx' },
	outdir,
	entryNames: '[name]',
	write: false,
	metafile: true,
});
const problems = printImportProblems(printing.metafile);
if (problems.length > 0) throw new Error(`the printing build cannot run as a script:\n${problems.join('\n')}`);
for (const output of printing.outputFiles) {
	const { script, cache } = asPrintScript(output.text, output.path);
	await writeFile(output.path, script);
	await writeFile(output.path.replace(/\.js$/, '.cache'), cache);
}
for (const metafile of [result.metafile, process.argv.includes('--analyze') ? printing.metafile : undefined]) {
	if (!metafile) continue;
	process.stdout.write(await analyzeMetafile(metafile));
}
