import { defaultBlockerCount, findBlockers, largestFreeRunBlocks } from '../heap/blockers.js';
import { type FitResult, fitAllocation } from '../heap/fit.js';
import type { HeapSnapshot } from '../heap/model.js';
import { type PinnedSet, pinnedBlockers, pinnedCount } from '../heap/pinned.js';
import type { Verdict } from '../heap/verdict.js';
import { formatBytes, formatCount } from '../present/format.js';
import { wrapWords } from '../present/text-fit.js';
import { blockerText, fitProblemText, fitSentences, verdictText } from '../present/why.js';
import { type PlainOptions, paint } from './plain.js';

/**
 * The "why" rows of the plain printers: the answer to `--fit SIZE`, and the blockers. Rows as the summary
 * has them: a label in the first 10 columns, text wrapped to 80.
 */

const WIDTH = 80;
const INDENT = 10;

/** Rows under one label, each sentence starting a new line. */
function labelled(label: string, sentences: readonly string[], options: PlainOptions): string[] {
	const lines: string[] = [];
	for (const sentence of sentences) {
		for (const text of wrapWords(sentence, WIDTH - INDENT)) {
			const name = lines.length === 0 ? paint(label.padEnd(INDENT), 'cyan', options) : ' '.repeat(INDENT);
			lines.push(`${name}${text}`);
		}
	}
	return lines;
}

/** The answer to "will `bytes` fit" on this snapshot, as rows. */
export function formatFitRows(
	snapshot: HeapSnapshot,
	bytes: number,
	options: PlainOptions,
	result: FitResult = fitAllocation(snapshot, bytes),
): string[] {
	if (!result.ok) return labelled('fit', [`${formatBytes(bytes)}: ${fitProblemText(result.problem)}.`], options);
	const sentences = fitSentences(result.answer);
	const rows = labelled('fit', sentences.slice(0, 1), options);
	// The first sentence is the answer; what follows explains it, so it reads as the answer's continuation.
	for (const line of labelled('', sentences.slice(1), options)) rows.push(line);
	return rows;
}

/**
 * The objects whose removal would make a longer free run than the longest there is, longest first, as rows;
 * none for a map without such objects, or cut off.
 */
export function formatBlockerRows(
	snapshot: HeapSnapshot,
	options: PlainOptions,
	limit = defaultBlockerCount,
): string[] {
	// On a cut-off map the runs beside an object may go on in the part that is missing.
	if (snapshot.map?.complete !== true) return [];
	// Only objects whose removal would beat the longest free run there is: the others change nothing for
	// the next big allocation, however many there are.
	const largest = largestFreeRunBlocks(snapshot);
	const blockers = findBlockers(snapshot, limit).filter((blocker) => blocker.mergedFreeBlocks > largest);
	if (blockers.length === 0) return [];
	return labelled(
		'blockers',
		blockers.map((blocker) => blockerText(blocker, snapshot.bytesPerBlock, snapshot.areas.length)),
		options,
	);
}

/**
 * The answer to "would `bytes` fit" and, when it does not, the blockers in its way: what `--fit` prints, and
 * what `run` prints after a MemoryError that names its size, on the heap as the failure left it.
 */
export function formatFitAnswerRows(snapshot: HeapSnapshot, bytes: number, options: PlainOptions): string[] {
	const result = fitAllocation(snapshot, bytes);
	const blockers = result.ok && !result.answer.fits ? formatBlockerRows(snapshot, options, 3) : [];
	return [...formatFitRows(snapshot, bytes, options, result), ...blockers];
}

/**
 * What a series of readings says: the leak-or-garbage verdict from the readings after collects, and the
 * pinned objects (in place through every one of those readings) that split the most free memory in `latest`.
 */
export function formatSeriesRows(
	verdict: Verdict,
	pinned: PinnedSet | undefined,
	latest: HeapSnapshot,
	options: PlainOptions,
	limit = 3,
): string[] {
	const rows = labelled('verdict', [`${verdictText(verdict)}.`], options);
	if (!pinned || pinned.readings < 2) return rows;
	const count = pinnedCount(pinned);
	const largest = largestFreeRunBlocks(latest);
	const splitting = pinnedBlockers(pinned, latest, limit).filter((blocker) => blocker.mergedFreeBlocks > largest);
	const head = `${formatCount(count)} ${count === 1 ? 'object stayed' : 'objects stayed'} in place through the last ${pinned.readings} collects${splitting.length > 0 ? '; those that split the free memory most:' : ', none of them between free runs longer than the longest.'}`;
	return [
		...rows,
		...labelled('pinned', [head], options),
		...labelled(
			'',
			splitting.map((blocker) => blockerText(blocker, latest.bytesPerBlock, latest.areas.length)),
			options,
		),
	];
}
