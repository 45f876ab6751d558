import type { HeapSnapshot } from '../heap/model.js';
import { sanitizeForTerminal } from '../protocol/sanitize.js';
import { formatSnapshots } from './print.js';
import { formatFitAnswerRows } from './why-plain.js';

/**
 * What `run` prints on standard output once the script has ended, on the emulator or on a board: the heap as
 * the script left it (or as its exception left it) and, after a MemoryError that names its size, whether that
 * size would fit on that heap and what stands in its way. With `json`, one object: the snapshot's JSON, with
 * `fit` for the failed size.
 */
export function formatRunReport(
	snapshot: HeapSnapshot,
	options: {
		script: string;
		raised: boolean;
		/** From the MemoryError line (`failedAllocationBytes`), when there was one. */
		failedBytes?: number;
		json: boolean;
		color: boolean;
	},
): string {
	const fit = options.failedBytes === undefined ? {} : { fitBytes: options.failedBytes };
	if (options.json) return formatSnapshots([snapshot], { json: true, all: false, color: false, ...fit });
	const heap = formatSnapshots([snapshot], { json: false, all: false, color: options.color });
	const head = `\nheap when ${options.script} ${options.raised ? 'raised' : 'ended'}:\n${heap}`;
	if (options.failedBytes === undefined) return head;
	const why = formatFitAnswerRows(snapshot, options.failedBytes, options).join('\n');
	return `${head}\nwhy the allocation of ${options.failedBytes} bytes failed:\n${sanitizeForTerminal(why)}\n`;
}
