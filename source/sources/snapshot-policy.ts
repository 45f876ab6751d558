import type { ParseResult } from '../heap/model.js';
import { parseMemInfo } from '../heap/parse.js';
import type { ProblemKind, Reading, SourceProblem } from './source.js';

/**
 * How a snapshot is taken, written once for the board and the emulated board: collect when asked, retry once
 * after a collect when the heap was too fragmented to run the dump at all (MemoryError), then parse. Each
 * source says only how to get one `mem_info(1)`; this says what to make of the answer.
 */

/** One attempt at a dump. */
export type DumpAnswer =
	/**
	 * The dump, printed whole; `parsed`, when the source read it as it streamed in, is that reading of the same
	 * text (parsing a dump of an 8 MiB heap again costs a frame's time).
	 */
	| { ok: true; text: string; parsed?: ParseResult }
	/** Too little heap to run even the dump (`line` is the MemoryError). */
	| { ok: false; kind: 'memory'; line: string }
	/** Something else was raised (`line` is its last line). */
	| { ok: false; kind: 'raised'; line: string }
	/** The answer was damaged on the way: `text` is what came, `why` names the damage. */
	| { ok: false; kind: 'damaged'; text: string; why: string }
	/** No answer at all; the source says why. */
	| { ok: false; kind: Exclude<ProblemKind, 'memory' | 'raised' | 'damaged'>; message: string };

/** A reading, or why not; `note` is a problem worth telling even though a reading was made. */
export type SnapshotOutcome =
	| { ok: true; reading: Reading; note?: SourceProblem }
	| { ok: false; problem: SourceProblem };

/** Takes a snapshot through `dump`, by the policy above. */
export async function takeSnapshot(
	dump: (collect: boolean) => Promise<DumpAnswer>,
	collect: boolean,
	clock: () => number,
): Promise<SnapshotOutcome> {
	let afterCollect = collect;
	let answer = await dump(collect);
	if (!answer.ok && answer.kind === 'memory' && !collect) {
		// The command could not even compile on a fragmented heap: a collect may make the room.
		afterCollect = true;
		answer = await dump(true);
	}
	const atMs = clock();
	if (answer.ok) {
		const parsed = answer.parsed ?? parseMemInfo(answer.text);
		if (!parsed.ok) {
			return {
				ok: false,
				problem: { kind: 'unreadable', message: `could not read the dump: ${parsed.error.message}` },
			};
		}
		return { ok: true, reading: { snapshot: parsed.snapshot, atMs, afterCollect } };
	}
	switch (answer.kind) {
		case 'memory':
			return {
				ok: false,
				problem: {
					kind: 'memory',
					// Full or fragmented: without a map there is no telling. Each screen keeps its last reading and
					// says how old it is; a snapshot has none to keep.
					message: `the heap has no room to run even the snapshot command, after a collect too (${answer.line})`,
				},
			};
		case 'raised':
			return { ok: false, problem: { kind: 'raised', message: `the board raised ${answer.line}` } };
		case 'damaged': {
			const note: SourceProblem = {
				kind: 'damaged',
				message: `the dump was damaged on the way (${answer.why}): shown as incomplete`,
			};
			const parsed = parseMemInfo(answer.text);
			if (!parsed.ok)
				return { ok: false, problem: { ...note, message: `the dump was damaged on the way (${answer.why})` } };
			return { ok: true, reading: { snapshot: parsed.snapshot, atMs, afterCollect, incomplete: true }, note };
		}
		default:
			return { ok: false, problem: { kind: answer.kind, message: answer.message } };
	}
}
