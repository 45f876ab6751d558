import type { Writable } from 'node:stream';
import { createEmulatorTarget } from '../measure/emulator-target.js';
import { isModuleName, measureImports } from '../measure/imports.js';
import { installPythonFiles } from '../measure/install-files.js';
import { profileScript } from '../measure/profile.js';
import { formatImportTable, formatProfileTable } from '../output/measure-tables.js';
import { garbageLimitNote } from '../sources/micropython-vm.js';
import { UsageError } from './errors.js';
import { readUserFile } from './read-user-file.js';

/** `heaptop imports MOD...` in the emulator: each import's retained bytes, as a table or JSON. */
export async function importsCommand(options: {
	modules: string[];
	heapBytes: number;
	path?: string;
	fresh: boolean;
	json: boolean;
	stdout: Writable;
}): Promise<number> {
	if (options.modules.length === 0)
		throw new UsageError('imports needs at least one module name, e.g. heaptop imports json');
	const bad = options.modules.find((name) => !isModuleName(name));
	if (bad !== undefined) throw new UsageError(`"${bad}" is not a module name`);
	// With --fresh each module gets a new board; otherwise they share one, in the order given.
	const groups = options.fresh ? options.modules.map((module) => [module]) : [options.modules];
	const costs = [];
	let where = '';
	for (const group of groups) {
		const target = await createEmulatorTarget(options.heapBytes);
		where = `${target.describe()}${options.fresh ? ', a fresh board for each module' : ''}`;
		try {
			if (options.path !== undefined)
				await installPythonFiles(target, options.path).catch(rethrowAsUsage(options.path));
			costs.push(...(await measureImports(target, group, () => performance.now())));
		} finally {
			target.close();
		}
	}
	options.stdout.write(options.json ? `${JSON.stringify(costs, null, 2)}\n` : formatImportTable(costs, where));
	return costs.some((cost) => cost.error !== undefined) ? 1 : 0;
}

/** `heaptop profile SCRIPT.py` in the emulator: each top-level statement's cost. Exit 1 if a statement raised. */
export async function profileCommand(options: {
	script: string;
	heapBytes: number;
	json: boolean;
	stdout: Writable;
}): Promise<number> {
	const source = await readUserFile(options.script);
	const target = await createEmulatorTarget(options.heapBytes);
	try {
		const costs = await profileScript(target, source);
		const where = target.describe();
		options.stdout.write(
			options.json ? `${JSON.stringify(costs, null, 2)}\n` : formatProfileTable(costs, where, garbageLimitNote),
		);
		return costs.some((cost) => cost.failure) ? 1 : 0;
	} finally {
		target.close();
	}
}

function rethrowAsUsage(path: string): (error: unknown) => never {
	return (error) => {
		const code = (error as NodeJS.ErrnoException).code;
		throw new UsageError(
			code === 'ENOENT' ? `--path ${path}: no such folder` : `--path ${path}: ${(error as Error).message}`,
		);
	};
}
