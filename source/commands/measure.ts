import type { Writable } from 'node:stream';
import { BoardMeasureError, createBoardTarget } from '../measure/board-target.js';
import { createEmulatorTarget } from '../measure/emulator-target.js';
import { type ImportCost, isModuleName, measureImports } from '../measure/imports.js';
import { installPythonFiles } from '../measure/install-files.js';
import { profileScript } from '../measure/profile.js';
import type { MeasureTarget } from '../measure/target.js';
import { jsonText } from '../output/json-text.js';
import { formatImportTable, formatProfileTable } from '../output/measure-tables.js';
import { sanitizeForTerminal } from '../protocol/sanitize.js';
import { garbageLimitNote } from '../sources/micropython-vm.js';
import { openBoardSession } from './board-session.js';
import { RuntimeFailure, UsageError } from './errors.js';
import { pathErrorWords } from './output-paths.js';
import { readUserFile } from './read-user-file.js';

/** Where to measure: the emulated board (the default), or the board on a port (`--port`). */
export type MeasureOn = { heapBytes: number } | { port: string; interrupt: boolean; password?: string };

/** Output streams: the table or JSON on stdout, notes about what heaptop did to the board on stderr. */
type Streams = { stdout: Writable; stderr: Writable };

/** Runs `work` on the board, turning its failures into the one line the user sees, and always letting it go. */
async function onBoard<T>(
	on: { port: string; interrupt: boolean },
	command: string,
	work: (target: ReturnType<typeof createBoardTarget>, describe: () => string, hasMemInfo: boolean) => Promise<T>,
): Promise<T> {
	const session = await openBoardSession({ ...on, command });
	try {
		const { board } = session;
		return await work(createBoardTarget(board), () => board.describe(), board.info?.hasMemInfo !== false);
	} catch (error) {
		if (error instanceof BoardMeasureError) throw new RuntimeFailure(error.message);
		throw error;
	} finally {
		await session.close();
	}
}

/** `heaptop imports MOD...`: each import's retained bytes, as a table or JSON. Exit 1 if an import raised. */
export async function importsCommand(
	options: Streams & { modules: string[]; on: MeasureOn; path?: string; fresh: boolean; json: boolean },
): Promise<number> {
	if (options.modules.length === 0)
		throw new UsageError('imports needs at least one module name, e.g. heaptop imports json');
	const bad = options.modules.find((name) => !isModuleName(name));
	if (bad !== undefined) throw new UsageError(`"${bad}" is not a module name`);
	const { on } = options;
	let costs: ImportCost[];
	let where: string;
	if ('port' in on) {
		if (options.path !== undefined)
			throw new UsageError('--path installs files in the emulated board only: on a board, copy them there first');
		[costs, where] = await onBoard(on, 'imports', async (target, describe) => {
			if (!options.fresh) return [await measureImports(target, options.modules, () => performance.now()), describe()];
			options.stderr.write(
				'heaptop: --fresh: soft-resetting the board before each import, wiping its variables and modules\n',
			);
			const measured = [];
			for (const module of options.modules) {
				await target.reset();
				measured.push(...(await measureImports(target, [module], () => performance.now())));
			}
			return [measured, `${describe()}\n(soft-reset before each module: --fresh)`];
		});
	} else {
		[costs, where] = await importsOnEmulator(on.heapBytes, options);
	}
	if (options.json) options.stdout.write(`${jsonText(costs, 2)}\n`);
	else options.stdout.write(sanitizeForTerminal(formatImportTable(costs, where, 'port' in on ? 'board' : 'emulator')));
	return costs.some((cost) => cost.error !== undefined) ? 1 : 0;
}

/** In the emulator `--fresh` needs no reset: each module gets a new VM. */
async function importsOnEmulator(
	heapBytes: number,
	options: { modules: string[]; path?: string; fresh: boolean },
): Promise<[ImportCost[], string]> {
	// With --fresh each module gets a new board; otherwise they share one, in the order given.
	const groups = options.fresh ? options.modules.map((module) => [module]) : [options.modules];
	const costs = [];
	let where = '';
	for (const group of groups) {
		const target = await createEmulatorTarget(heapBytes);
		where = `${target.describe()}${options.fresh ? ', a fresh board for each module' : ''}`;
		try {
			if (options.path !== undefined)
				await installPythonFiles(target, options.path).catch(rethrowAsUsage(options.path));
			costs.push(...(await measureImports(target, group, () => performance.now())));
		} finally {
			target.close();
		}
	}
	return [costs, where];
}

/** `heaptop profile SCRIPT.py`: each top-level statement's cost. Exit 1 if a statement raised. */
export async function profileCommand(
	options: Streams & { script: string; on: MeasureOn; json: boolean },
): Promise<number> {
	const source = await readUserFile(options.script);
	const { on } = options;
	const report = (costs: Awaited<ReturnType<typeof profileScript>>, where: string, note?: typeof garbageLimitNote) => {
		options.stdout.write(
			options.json ? `${jsonText(costs, 2)}\n` : sanitizeForTerminal(formatProfileTable(costs, where, note)),
		);
		return costs.some((cost) => cost.failure) ? 1 : 0;
	};
	if ('port' in on) {
		return onBoard(on, 'profile', async (target, describe, hasMemInfo) => {
			if (!hasMemInfo) {
				throw new RuntimeFailure(
					`${describe()} has no micropython.mem_info, which profile needs to see garbage; heaptop imports works there`,
				);
			}
			// Said before the first statement runs, so that even an interrupted run has said it.
			options.stderr.write(
				`heaptop: ${options.script} runs in the board's own namespace: this changes the board's state\n`,
			);
			return report(await profileScript(target, source), describe());
		});
	}
	const target: MeasureTarget & { close(): void } = await createEmulatorTarget(on.heapBytes);
	try {
		return report(await profileScript(target, source), target.describe(), garbageLimitNote);
	} finally {
		target.close();
	}
}

function rethrowAsUsage(path: string): (error: unknown) => never {
	return (error) => {
		const code = (error as NodeJS.ErrnoException).code;
		throw new UsageError(
			code === 'ENOENT'
				? `--path ${path}: no such folder`
				: code === 'ENOTDIR'
					? `--path ${path}: not a folder`
					: `--path ${path}: ${pathErrorWords(error, path)}`,
		);
	};
}
