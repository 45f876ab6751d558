import { analyzeSnapshot } from '../heap/analyze.js';
import type { HeapSnapshot } from '../heap/model.js';
import { parseAllMemInfo } from '../heap/parse.js';
import { splitStatements } from './split-statements.js';
import type { MeasureTarget } from './target.js';

/** What one top-level statement cost. */
export type StatementCost = {
	/** 1-based line where the statement starts. */
	line: number;
	/** The statement's first line, for the table. */
	firstLine: string;
	/** Used bytes after a collect, minus before: what the statement keeps. */
	retainedBytes: number;
	/** Used bytes before the collect minus after: garbage it left (compiling it included). */
	garbageBytes: number;
	/** Set on the statement that raised; the run stops there. */
	failure?: {
		type: string;
		traceback: string;
		freeBytes: number;
		/** The largest free run at that moment: why "MemoryError with so much free". */
		largestFreeBytes?: number;
	};
};

/** The last dump in some output, if the command got as far as printing one. */
function lastDump(output: string): HeapSnapshot | undefined {
	return parseAllMemInfo(output).at(-1);
}

/**
 * Runs a script statement by statement on `target`, measuring each as the guides do by hand:
 * collect, read, run, read, collect, read. Stops at the first statement that raises.
 */
export async function profileScript(target: MeasureTarget, source: string): Promise<StatementCost[]> {
	const costs: StatementCost[] = [];
	await target.collect();
	let before = (await target.snapshot()).gc.usedBytes;
	for (const statement of splitStatements(source)) {
		// The dump is taken by the same command, before control returns to the REPL: some ports (the
		// WebAssembly one) collect as soon as it does, which would hide the garbage. `__import__` adds no
		// name to the globals, so the measuring itself keeps nothing.
		const outcome = await target.exec(`${statement.code}\n__import__('micropython').mem_info(1)`);
		const dirty = lastDump(outcome.output) ?? (await target.snapshot());
		await target.collect();
		const clean = await target.snapshot();
		const cost: StatementCost = {
			line: statement.line,
			firstLine: statement.code.split('\n')[0] ?? '',
			retainedBytes: clean.gc.usedBytes - before,
			garbageBytes: dirty.gc.usedBytes - clean.gc.usedBytes,
		};
		if (outcome.exception) {
			// The heap as it was when the statement failed, before the collect tidied it.
			const largest = analyzeSnapshot(dirty).largestAllocatableBytes;
			cost.failure = {
				...outcome.exception,
				freeBytes: dirty.gc.freeBytes,
				...(largest === undefined ? {} : { largestFreeBytes: largest }),
			};
			costs.push(cost);
			break;
		}
		costs.push(cost);
		before = clean.gc.usedBytes;
	}
	return costs;
}
