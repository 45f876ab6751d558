import { readFile } from 'node:fs/promises';
import type { Plugin } from 'esbuild';

/**
 * Ink's output stage measures and tokenizes the text of every frame afresh: its caches (`OutputCaches`: the
 * styled characters of each line, string widths) belong to one frame's `Output`, and `renderNodeToOutput`
 * measures each text node with `widestLine` again although layout has just measured it through
 * `measureText`'s cache. Most lines of a frame are those of the frame before, so at 200×60 about half of a
 * frame's time was this repeated work. The caches are kept across frames here, and the text measure comes
 * from the layout's cache. Both are bounded, measureText's too, which in Ink never shrinks: each distinct
 * text ever shown (an age, a count) would otherwise stay for as long as heaptop runs. The values are those
 * Ink computes, so the output is the same byte for byte. The lines are those of the pinned version; when they
 * no longer hold, the build warns and bundles the file as it is (correct, only slower: the bench shows it).
 */
const patches: Record<string, [string, string][]> = {
	'output.js': [
		[
			'export default class Output {\n',
			// A fresh set when it holds more than a few screens' worth of distinct lines and characters. The grid
			// starts as one blank cell shared by every place (cells are replaced, never changed), not 12,000 new
			// objects a frame at 200×60.
			"const heaptopBlankCell = { type: 'char', value: ' ', fullWidth: false, styles: [] };\nlet heaptopCaches = new OutputCaches();\nconst heaptopSharedCaches = () => { if (heaptopCaches.styledChars.size + heaptopCaches.widths.size + heaptopCaches.blockWidths.size > 20000) heaptopCaches = new OutputCaches(); return heaptopCaches; };\nexport default class Output {\n",
		],
		['    caches = new OutputCaches();\n', '    caches = heaptopSharedCaches();\n'],
		[
			"                row.push({\n                    type: 'char',\n                    value: ' ',\n                    fullWidth: false,\n                    styles: [],\n                });\n",
			'                row.push(heaptopBlankCell);\n',
		],
	],
	'render-node-to-output.js': [
		["import widestLine from 'widest-line';\n", "import measureText from './measure-text.js';\n"],
		['const currentWidth = widestLine(text);', 'const currentWidth = measureText(text).width;'],
	],
	'measure-text.js': [
		[
			'    const width = widestLine(text);\n',
			'    if (cache.size > 10000) cache.clear();\n    const width = widestLine(text);\n',
		],
	],
	// Characters of a line in the same style share one style list (nothing changes a list once made), so that
	// printing a row compares lists by identity first: the diff of a list with itself is empty, and that is
	// what nearly every cell has.
	'styledChars.js': [
		['    let codes = [];\n    const ret = [];\n', '    let codes = [];\n    let shared;\n    const ret = [];\n'],
		[
			'            codes = reduceAnsiCodesIncremental(codes, [token]);\n',
			'            codes = reduceAnsiCodesIncremental(codes, [token]);\n            shared = undefined;\n',
		],
		['                styles: [...codes],\n', '                styles: (shared ??= [...codes]),\n'],
		[
			'        else {\n            ret += ansiCodesToString(diffAnsiCodes(chars[i - 1].styles, char.styles));\n        }\n',
			'        else if (chars[i - 1].styles !== char.styles) {\n            ret += ansiCodesToString(diffAnsiCodes(chars[i - 1].styles, char.styles));\n        }\n',
		],
	],
};

/** The esbuild plugin that applies the patches above to Ink's build. */
export const inkOutputCaches: Plugin = {
	name: 'ink-output-caches',
	setup(builder) {
		builder.onLoad(
			{
				filter:
					/[\\/](ink[\\/]build[\\/](output|render-node-to-output|measure-text)|@alcalzone[\\/]ansi-tokenize[\\/]build[\\/]styledChars)\.js$/,
			},
			async (args) => {
				const name = args.path.split(/[\\/]/).at(-1) ?? '';
				let contents = await readFile(args.path, 'utf8');
				const edits = patches[name] ?? [];
				if (!edits.every(([from]) => contents.includes(from))) {
					return {
						contents,
						loader: 'js',
						warnings: [{ text: `ink ${name}: no longer as expected, bundled unchanged` }],
					};
				}
				for (const [from, to] of edits) contents = contents.replace(from, to);
				return { contents, loader: 'js' };
			},
		);
	},
};
