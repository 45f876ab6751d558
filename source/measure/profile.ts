import { analyzeSnapshot } from '../heap/analyze.js';
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

// Printed by the same command as the statement, before control returns to the REPL: some ports (the
// WebAssembly one) collect as soon as it does, which would hide the garbage. `__import__` adds no name to the
// globals, and the code holds no string of its own: a new string or name is interned for good into a qstr
// pool on the heap, and would be blamed on the statement (a marker string cost 16 B, and moved where the
// pools grow). So the figure is the last line, after a newline of its own in case the statement's output
// did not end with one.
const readUsedCode = "print();print(__import__('gc').mem_alloc())";

/** The figure `readUsedCode` printed, if the command got that far (it did not when the statement raised). */
function usedIn(output: string, raised: boolean): number | undefined {
	if (raised) return undefined;
	const last = /\n(\d+)\s*$/.exec(output);
	return last ? Number(last[1]) : undefined;
}

/**
 * Runs a script statement by statement on `target`, measuring each as the guides do by hand:
 * collect, read, run, read, collect, read. Stops at the first statement that raises. Only the failure needs a
 * whole dump (for the largest free run); every other reading is one number.
 */
export async function profileScript(target: MeasureTarget, source: string): Promise<StatementCost[]> {
	const costs: StatementCost[] = [];
	await target.collect();
	let before = await target.usedBytes();
	for (const statement of splitStatements(source)) {
		const outcome = await target.exec(`${statement.code}\n${readUsedCode}`);
		// The heap as the failure left it, before the collect tidies it.
		const failedOn = outcome.exception ? await target.snapshot() : undefined;
		const dirty =
			usedIn(outcome.output, outcome.exception !== undefined) ?? failedOn?.gc.usedBytes ?? (await target.usedBytes());
		await target.collect();
		const clean = await target.usedBytes();
		const cost: StatementCost = {
			line: statement.line,
			firstLine: statement.code.split('\n')[0] ?? '',
			retainedBytes: clean - before,
			garbageBytes: dirty - clean,
		};
		if (outcome.exception && failedOn) {
			const largest = analyzeSnapshot(failedOn).largestAllocatableBytes;
			cost.failure = {
				...outcome.exception,
				freeBytes: failedOn.gc.freeBytes,
				...(largest === undefined ? {} : { largestFreeBytes: largest }),
			};
			costs.push(cost);
			break;
		}
		costs.push(cost);
		before = clean;
	}
	return costs;
}
