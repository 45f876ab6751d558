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
 * asked for one (`imports --fresh`). Why a call failed comes from the call's own outcome, never from events.
 */
export function createBoardTarget(board: BoardSource): MeasureTarget & { reset(): Promise<void> } {
	const gone = (what: string, kind: string) =>
		new BoardMeasureError(
			kind === 'gone' || kind === 'disconnected' || board.status === 'disconnected'
				? `the board went away while ${what} (unplugged, or reset onto another port)`
				: kind === 'overflow'
					? `the board kept printing without end while ${what}; it was interrupted`
					: `no answer from the board while ${what}: it stopped answering`,
		);

	async function run(code: string): Promise<ExecOutcome> {
		const result = await board.execute(code);
		if (!result.ok) {
			if (result.kind === 'soft-reboot') {
				throw new BoardMeasureError(
					'the board soft-rebooted (sys.exit(), or a watchdog): its heap was reset, so there is nothing more to measure',
				);
			}
			if (result.kind === 'noise' || result.kind === 'framing' || result.kind === 'friendly-prompt') {
				// The frame was damaged (line noise, a cut): the figures around it cannot be trusted.
				throw new BoardMeasureError(`the board's answer was damaged on the way (${result.kind}); nothing was measured`);
			}
			throw gone('running code', result.kind);
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
			const outcome = await board.read({ collect: false });
			if (!outcome.ok) throw new BoardMeasureError(`no snapshot of the board's heap: ${outcome.problem.message}`);
			return outcome.reading.snapshot;
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
			if (!(await board.softReset())) throw gone('soft-resetting it', board.status);
		},
	};
}
