import { readFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { resolve } from 'node:path';
import type { BuildOptions, Plugin } from 'esbuild';
import { inkOutputCaches } from './ink-output-caches.js';

/**
 * How heaptop is bundled: shared by `npm run build` (scripts/build.ts) and by the bench, which bundles its
 * frame harness the same way so that it times the code users run.
 *
 * Packages stay outside the bundle where they must be found on disk at run time: the serial binding's native
 * addon (its JavaScript is bundled, see `leanSerial`), the MicroPython VM (it loads its .wasm beside itself), and React (React picks its production or
 * development build when it is first required, which `run-tui.ts` decides, and Ink's reconciler must share
 * that one React). Ink is bundled, so that its ANSI diffing can be given the fast path below.
 */

/**
 * Ink builds every frame as a grid of styled cells, and to print a line it diffs the styles of each cell with
 * the one before: `diffAnsiCodes` makes three Sets and three arrays per cell, `ansiCodesToString` a Set and an
 * array more, even when nothing changes, which is nearly every cell. At 200×60 that was 20 MB of garbage a
 * frame, and the collector's time showed in every frame. Both get an exact shortcut for that case (equal style
 * lists have an empty diff; no codes print as nothing), so the output is the same byte for byte. The files are
 * those of the pinned version; when they no longer hold these lines the build warns and bundles them as they are
 * (correct, only slower: the bench shows it).
 */
const quickAnsiDiff: Plugin = {
	name: 'quick-ansi-diff',
	setup(builder) {
		const patches: Record<string, [string, string]> = {
			'diff.js': [
				'export function diffAnsiCodes(from, to) {\n',
				'export function diffAnsiCodes(from, to) {\n    if (from.length === to.length && from.every((code, index) => code.code === to[index].code && code.endCode === to[index].endCode)) return [];\n',
			],
			'ansiCodes.js': [
				'export function ansiCodesToString(codes) {\n',
				'export function ansiCodesToString(codes) {\n    if (codes.length === 0) return "";\n',
			],
		};
		builder.onLoad(
			{ filter: /[\\/]@alcalzone[\\/]ansi-tokenize[\\/]build[\\/](diff|ansiCodes)\.js$/ },
			async (args) => {
				const name = args.path.split(/[\\/]/).at(-1) ?? '';
				const patch = patches[name];
				let contents = await readFile(args.path, 'utf8');
				if (!patch || !contents.includes(patch[0])) {
					return { contents, loader: 'js', warnings: [{ text: `${name}: no longer as expected, bundled unchanged` }] };
				}
				contents = contents.replace(patch[0], patch[1]);
				return { contents, loader: 'js' };
			},
		);
	},
};

/**
 * The serial link's packages, bundled into its chunk. Loaded from node_modules they were the slowest part of
 * `--once --port` after Node itself: some twenty CommonJS files found and read one by one, each scanned again for
 * its exports because an ES module imported it, and `debug` with its colour detection, which only prints when
 * DEBUG names serialport. Bundled, `debug` is a function that does nothing (heaptop has no DEBUG switch; its
 * problems are named in its own words), and the one line that finds the native addon beside the package's own
 * files (`__dirname`, which in a bundle is `dist/`) asks Node where the package is instead. The addon itself and
 * node-gyp-build's choice of prebuild are unchanged.
 */
/**
 * bindings-cpp's index requires the bindings of all three platforms to hand one to `autoDetect()`, and the Linux
 * one requires its port lister, which loads `child_process` and a line parser: a quarter of the serial chunk's
 * start-up, for a lister heaptop does not call on the way to a snapshot (its `ports` reads sysfs). Each becomes a
 * getter that requires its module when first used, so only the platform's own binding loads, and the lister
 * only when ports are listed. Exports and behaviour are unchanged; when the lines are no longer there the build
 * warns and bundles the files as they are.
 */
const lazyBindingRequires: Record<string, [string, string][]> = {
	'index.js': [
		[
			'const darwin_1 = require("./darwin");\nconst linux_1 = require("./linux");\nconst win32_1 = require("./win32");',
			'const darwin_1 = { get DarwinBinding() { return require("./darwin").DarwinBinding; } };\n' +
				'const linux_1 = { get LinuxBinding() { return require("./linux").LinuxBinding; } };\n' +
				'const win32_1 = { get WindowsBinding() { return require("./win32").WindowsBinding; } };',
		],
		[
			'__exportStar(require("./darwin"), exports);\n__exportStar(require("./linux"), exports);\n__exportStar(require("./win32"), exports);',
			'const platformModules = { "./darwin": () => require("./darwin"), "./linux": () => require("./linux"), "./win32": () => require("./win32") };\n' +
				'for (const [name, file] of Object.entries({ DarwinBinding: "./darwin", DarwinPortBinding: "./darwin", LinuxBinding: "./linux", LinuxPortBinding: "./linux", WindowsBinding: "./win32", WindowsPortBinding: "./win32" }))\n' +
				'    Object.defineProperty(exports, name, { enumerable: true, get: () => platformModules[file]()[name] });',
		],
	],
	'linux.js': [
		[
			'const linux_list_1 = require("./linux-list");',
			'const linux_list_1 = { get linuxList() { return require("./linux-list").linuxList; } };',
		],
	],
};

const leanSerial: Plugin = {
	name: 'lean-serial',
	setup(builder) {
		builder.onResolve({ filter: /^debug$/ }, (args) =>
			/[\\/]@serialport[\\/]/.test(args.importer) ? { path: 'debug', namespace: 'no-debug' } : undefined,
		);
		builder.onLoad({ filter: /.*/, namespace: 'no-debug' }, () => ({
			contents: 'const off = () => {}; off.enabled = false; off.extend = () => off; module.exports = () => off;',
			loader: 'js',
		}));
		builder.onLoad({ filter: /[\\/]@serialport[\\/]bindings-cpp[\\/]dist[\\/](index|linux)\.js$/ }, async (args) => {
			const name = args.path.split(/[\\/]/).at(-1) ?? '';
			let contents = await readFile(args.path, 'utf8');
			for (const [line, lazy] of lazyBindingRequires[name] ?? []) {
				if (!contents.includes(line)) {
					return {
						contents,
						loader: 'js',
						warnings: [{ text: `bindings-cpp ${name}: no longer as expected, bundled unchanged` }],
					};
				}
				contents = contents.replace(line, lazy);
			}
			return { contents, loader: 'js' };
		});
		builder.onLoad(
			{ filter: /[\\/]@serialport[\\/]bindings-cpp[\\/]dist[\\/]serialport-bindings\.js$/ },
			async (args) => {
				const contents = await readFile(args.path, 'utf8');
				const line = "(0, path_1.join)(__dirname, '../')";
				if (!contents.includes(line)) {
					return { contents, loader: 'js', errors: [{ text: 'serialport-bindings.js: no longer as expected' }] };
				}
				const packageDir = "(0, path_1.dirname)(require.resolve('@serialport/bindings-cpp/package.json'))";
				return { contents: contents.replace(line, packageDir), loader: 'js' };
			},
		);
	},
};

export function bundleOptions(root: string): BuildOptions {
	return {
		absWorkingDir: root,
		bundle: true,
		splitting: true,
		format: 'esm',
		platform: 'node',
		target: 'node20',
		jsx: 'automatic',
		// react-devtools-core: Ink loads it only with DEV=true, and it is not installed. ws: CommonJS that
		// requires Node's modules at run time; it loads from node_modules.
		external: ['react', 'react/*', 'serialport', '@micropython/*', 'react-devtools-core', 'ws'],
		plugins: [quickAnsiDiff, inkOutputCaches, leanSerial],
		// Ink's CommonJS dependencies require Node's built-ins; an ES module has no `require` of its own.
		banner: {
			js: "import { createRequire as heaptopCreateRequire } from 'node:module'; const require = heaptopCreateRequire(import.meta.url);",
		},
		// Readable stack traces in "internal error, please report it": names are kept, only whitespace is saved.
		minifyWhitespace: true,
		legalComments: 'none',
		logLevel: 'warning',
	};
}

/**
 * The printing build (`dist/print.js`): cli.tsx in one file, for the runs that cannot show the live screen
 * (source/commands/choose-build.ts). Split into chunks, `--once --port` loaded some forty of them, and finding,
 * reading and linking each was a fifth of its time; one file of the same code is compiled at once. It runs as
 * a script with a compiled cache beside it, not as a module (scripts/print-script.ts says why and how): so it
 * has no `import` statement, no `import.meta` and no `import()` of its own, which the options below see to.
 *
 * One file is only quick if it does not run what it does not need. esbuild keeps a module reached only through
 * `import()` unevaluated until it is imported, but it lifts every import of a package left outside the bundle,
 * and of Node's own modules, to the top of the file: the WebREPL link would load `crypto`, `http` and `tls` for
 * every snapshot. So each of those is a small CommonJS module here, `module.exports = require(name)`, run when
 * the module that imports it first runs. Packages that are ES modules only (the MicroPython VM) cannot be
 * required; they are imported through source/sources/import-package.ts, which here asks the start to do it.
 *
 * The live screen stays out: resolving Ink or React is a build error, and the one place that starts the screen
 * (`run-tui.js`) is a module that says, as an internal error, that this build was chosen wrongly.
 */
const requiredWhenUsed: Plugin = {
	name: 'required-when-used',
	setup(builder) {
		const outside = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`), 'ws']);
		builder.onResolve({ filter: /^[\w:/]+$/ }, (args) => {
			// Only static imports are lifted: require() and import() already run where they are written.
			if (args.kind !== 'import-statement' || !outside.has(args.path)) return undefined;
			// The shim's own `require` is the script's (print-script.ts gives it one beside the bundle).
			if (args.namespace === 'required-when-used') return { path: args.path, external: true };
			return { path: args.path, namespace: 'required-when-used' };
		});
		builder.onLoad({ filter: /.*/, namespace: 'required-when-used' }, (args) => ({
			contents: `module.exports = require(${JSON.stringify(args.path)});`,
			loader: 'js',
		}));
	},
};

/** source/sources/import-package.ts as the script has it: `heaptopImport` is its parameter, the start's import(). */
function importThroughStart(root: string): Plugin {
	const file = resolve(root, 'source/sources/import-package.js');
	return {
		name: 'import-through-start',
		setup(builder) {
			builder.onResolve({ filter: /[\\/]import-package\.js$/ }, (args) =>
				resolve(args.resolveDir, args.path) === file ? { path: 'import-package', namespace: 'start' } : undefined,
			);
			builder.onLoad({ filter: /.*/, namespace: 'start' }, () => ({
				contents: 'export function importPackage(name) { return heaptopImport(name); }',
				loader: 'js',
			}));
		},
	};
}

const withoutScreen: Plugin = {
	name: 'without-screen',
	setup(builder) {
		builder.onResolve({ filter: /^(ink|react|react\/.*|react-devtools-core)$/ }, (args) => ({
			errors: [
				{
					text: `the printing build reached ${args.path} (from ${args.importer}): the screen belongs to the whole program`,
				},
			],
		}));
		builder.onResolve({ filter: /[\\/]ui[\\/]run-tui\.js$/ }, () => ({ path: 'run-tui', namespace: 'without-screen' }));
		builder.onLoad({ filter: /.*/, namespace: 'without-screen' }, () => ({
			contents:
				"export function runTui() { throw new Error('the printing build (dist/print.js) was chosen for a run that shows the live screen: source/commands/choose-build.ts is wrong'); }",
			loader: 'js',
		}));
	},
};

export function printBuildOptions(root: string): BuildOptions {
	const options = bundleOptions(root);
	return {
		...options,
		splitting: false,
		plugins: [withoutScreen, requiredWhenUsed, importThroughStart(root), ...(options.plugins ?? [])],
		// The script is given `require` and its module's URL (print-script.ts); every import() left in the code
		// (Node's own modules) becomes a require, which runs where the import() did.
		banner: {},
		define: { 'import.meta.url': 'heaptopModuleUrl' },
		supported: { 'dynamic-import': false },
	};
}

/**
 * The start (`dist/cli.cjs`, start.ts): CommonJS, one file, no chunks. Node starts a CommonJS main without its
 * ES module loader, which an ES module main sets up first: resolving, reading and linking the start and its
 * four small chunks, and `fs/promises` (with `readline`) for the loader's own reads. That was 7 ms of every
 * run, a tenth of `--version`. Both builds are still ES modules at heart: the screen's (`dist/main.js`) is
 * imported by the start, and the printing build is run as a script.
 *
 * `import.meta.url` is the start's own URL; `import()` stays what it is (the screen's build and the VM are ES
 * modules, which a require cannot load).
 */
export function startBuildOptions(root: string): BuildOptions {
	const options = bundleOptions(root);
	const screenBuild: Plugin = {
		name: 'screen-build',
		setup(builder) {
			// start.ts imports cli.tsx; the start imports the screen's build of it, beside itself.
			builder.onResolve({ filter: /^\.\/cli\.js$/ }, (args) =>
				args.importer.endsWith('start.ts') ? { path: './main.js', external: true } : undefined,
			);
		},
	};
	return {
		...options,
		splitting: false,
		format: 'cjs',
		plugins: [screenBuild],
		// The banner comes before esbuild's own "use strict", which is then no directive: it says it again first.
		banner: { js: '"use strict"; const heaptopStartUrl = require("node:url").pathToFileURL(__filename).href;' },
		define: { 'import.meta.url': 'heaptopStartUrl' },
	};
}
