import { latin1Text } from '../protocol/bytes.js';
import { sanitizeOutput } from '../protocol/sanitize.js';
import type { BoardSource } from '../sources/board.js';
import type { ExecOutcome, MeasureTarget } from './target.js';

/** A board that stopped answering as it should while heaptop measured it. The message is one line. */
export class BoardMeasureError extends Error {
	override name = 'BoardMeasureError';
}

/**
 * A MeasureTarget on a started board (live, at the raw prompt). Code runs in the board's own `__main__`,
 * so whatever a profiled script defines stays defined there; `reset` is a soft reset, used only when the user
 * asked for one (`imports --fresh`).
 */
export function createBoardTarget(board: BoardSource): MeasureTarget & { reset(): Promise<void> } {
	let lastProblem: string | undefined;
	board.subscribe((event) => {
		if (event.type === 'problem') lastProblem = event.message;
		else if (event.type === 'status' && event.status !== 'live' && event.message) lastProblem = event.message;
	});
	const gone = (what: string) =>
		new BoardMeasureError(
			board.status === 'disconnected'
				? `the board went away while ${what} (unplugged, or reset onto another port)`
				: `no answer from the board while ${what}: ${lastProblem ?? 'it stopped answering'}`,
		);

	async function run(code: string): Promise<ExecOutcome> {
		const result = await board.execute(code);
		if (!result) throw gone('running code');
		if (!result.complete && result.problem === 'soft-reboot') {
			throw new BoardMeasureError(
				'the board soft-rebooted (sys.exit(), or a watchdog): its heap was reset, so there is nothing more to measure',
			);
		}
		if (!result.complete) {
			// The frame was damaged (line noise, a cut): the figures around it cannot be trusted.
			throw new BoardMeasureError(
				`the board's answer was damaged on the way (${result.problem}); nothing was measured`,
			);
		}
		const output = latin1Text(result.stdout);
		const traceback = sanitizeOutput(result.exception).trim();
		if (!traceback) return { output };
		const last = traceback.split('\n').at(-1) ?? traceback;
		return { output, exception: { type: /^(\w+)/.exec(last)?.[1] ?? 'Exception', traceback } };
	}

	return {
		describe: () => board.describe(),
		exec: run,
		async collect() {
			const outcome = await run("__import__('gc').collect()");
			if (outcome.exception) throw new BoardMeasureError(`gc.collect() raised on the board: ${outcome.exception.type}`);
		},
		async snapshot() {
			const reading = await board.read({ collect: false });
			if (!reading) throw gone('reading the heap');
			return reading.snapshot;
		},
		async usedBytes() {
			const outcome = await run("print(__import__('gc').mem_alloc())");
			const used = /^(\d+)\s*$/.exec(outcome.output);
			if (!used)
				throw new BoardMeasureError(
					`gc.mem_alloc() gave no figure on the board: ${outcome.exception?.type ?? outcome.output.trim()}`,
				);
			return Number(used[1]);
		},
		async reset() {
			if (!(await board.softReset())) throw gone('soft-resetting it');
		},
	};
}
