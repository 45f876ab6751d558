import type { MeasureTarget } from './target.js';

/** What importing one module cost. */
export type ImportCost = {
	module: string;
	/** Used bytes after import and collect, minus before. */
	retainedBytes: number;
	/** Modules that appeared in `sys.modules` with it (itself excluded). */
	pulledIn: string[];
	/** Wall time of the import, in ms, as seen from heaptop (a serial round trip included on a board). */
	elapsedMs: number;
	/** It was in `sys.modules` already, so importing it again cost nothing. */
	alreadyImported: boolean;
	/** The import raised: the exception class and its message line. */
	error?: string;
};

/** Module names are Python dotted names; anything else would be code, not a name. */
const MODULE_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** True when `name` can be imported by `import name`. */
export function isModuleName(name: string): boolean {
	return MODULE_NAME.test(name);
}

async function loadedModules(target: MeasureTarget): Promise<Set<string>> {
	// `__import__` rather than `import sys`: on a board this runs in the user's namespace, which it must not touch.
	const outcome = await target.exec("print(*__import__('sys').modules)");
	return new Set(outcome.output.split(/\s+/).filter((name) => name.length > 0));
}

/**
 * Measures each import as the guides teach: collect, read, import, collect, read. `now` is a clock in ms.
 * Modules are imported in the order given, so a later module that needs an earlier one pays nothing for it.
 */
export async function measureImports(
	target: MeasureTarget,
	modules: readonly string[],
	now: () => number,
): Promise<ImportCost[]> {
	const costs: ImportCost[] = [];
	for (const module of modules) {
		const modulesBefore = await loadedModules(target);
		await target.collect();
		const before = await target.usedBytes();
		const startMs = now();
		// `__import__` binds no name in __main__, so the cost is the module's alone, not a globals slot.
		const outcome = await target.exec(`__import__('${module}')`);
		const elapsedMs = now() - startMs;
		await target.collect();
		const after = await target.usedBytes();
		const modulesAfter = await loadedModules(target);
		const cost: ImportCost = {
			module,
			retainedBytes: after - before,
			pulledIn: [...modulesAfter].filter((name) => !modulesBefore.has(name) && name !== module).sort(),
			elapsedMs,
			alreadyImported: modulesBefore.has(module),
		};
		if (outcome.exception) {
			const lines = outcome.exception.traceback.trim().split('\n');
			cost.error = lines[lines.length - 1] ?? outcome.exception.type;
		}
		costs.push(cost);
	}
	return costs;
}
