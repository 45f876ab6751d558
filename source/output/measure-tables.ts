import type { ImportCost } from '../measure/imports.js';
import type { StatementCost } from '../measure/profile.js';
import { formatBytes } from '../present/format.js';
import { wrapWords } from '../present/text-fit.js';

/** Columns left for the import table's last column in 80: module 24, retained 12, time 9, and the gaps. */
const NOTE_WIDTH = 80 - (24 + 1 + 12 + 2 + 9 + 2);

/** Cuts text to `width` columns with an ellipsis, so a table never wraps. */
function fit(text: string, width: number): string {
	return text.length <= width ? text.padEnd(width) : `${text.slice(0, width - 1)}…`;
}

/**
 * `heaptop imports`: costs sorted by retained bytes, with a total and notes on what they mean. `on` says what
 * `--fresh` would do there, for the note on modules that were already imported.
 */
export function formatImportTable(
	costs: readonly ImportCost[],
	where: string,
	on: 'board' | 'emulator' = 'emulator',
): string {
	const sorted = [...costs].sort((a, b) => b.retainedBytes - a.retainedBytes);
	// Two header lines: a board's description alone can fill one.
	const lines = [`import costs on ${where}`, `(each: collect, read, import, collect, read)`, ''];
	lines.push(`${'module'.padEnd(24)} ${'retained'.padStart(12)}  ${'time'.padStart(9)}  pulled in`);
	for (const cost of sorted) {
		const note = cost.error ? cost.error : cost.alreadyImported ? 'already imported' : cost.pulledIn.join(' ') || '-';
		// The last column wraps under itself, so that a long list of modules pulled in stays within 80 columns.
		const [first = '', ...more] = wrapWords(note, NOTE_WIDTH);
		lines.push(
			`${fit(cost.module, 24)} ${formatBytes(cost.retainedBytes).padStart(12)}  ${`${cost.elapsedMs.toFixed(1)} ms`.padStart(9)}  ${first}`,
		);
		for (const line of more) lines.push(`${' '.repeat(80 - NOTE_WIDTH)}${line}`);
	}
	const total = costs.reduce((sum, cost) => sum + cost.retainedBytes, 0);
	lines.push(`${'total'.padEnd(24)} ${formatBytes(total).padStart(12)}`);
	const already = costs.filter((cost) => cost.alreadyImported).map((cost) => cost.module);
	if (already.length > 0) {
		const fresh =
			on === 'board'
				? '--fresh soft-resets the board before each import'
				: '--fresh gives each module a new board of its own';
		lines.push(
			'',
			`${already.join(', ')} ${already.length === 1 ? 'was' : 'were'} already imported: importing again cost nothing.`,
			`${fresh}, to measure what it keeps.`,
		);
	}
	return `${lines.join('\n')}\n`;
}

/**
 * `heaptop profile`: statements in source order, the three that keep the most marked with `*`. `noteFor`
 * may add a line about a failure that the target itself explains (the emulator's garbage limit).
 */
export function formatProfileTable(
	costs: readonly StatementCost[],
	where: string,
	noteFor: (failure: { type: string }) => string | undefined = () => undefined,
): string {
	const biggest = new Set(
		[...costs]
			.filter((cost) => cost.retainedBytes > 0)
			.sort((a, b) => b.retainedBytes - a.retainedBytes)
			.slice(0, 3),
	);
	const lines = [`statement costs on ${where}`, '(retained: kept after a collect; garbage: left before it)', ''];
	lines.push(`${'line'.padStart(5)}  ${'code'.padEnd(40)} ${'retained'.padStart(11)} ${'garbage'.padStart(11)}`);
	for (const cost of costs) {
		const mark = biggest.has(cost) ? '*' : ' ';
		lines.push(
			`${String(cost.line).padStart(5)}${mark} ${fit(cost.firstLine.trim(), 40)} ${formatBytes(cost.retainedBytes).padStart(11)} ${formatBytes(cost.garbageBytes).padStart(11)}`,
		);
		if (cost.failure) {
			const message = cost.failure.traceback.trim().split('\n').at(-1) ?? cost.failure.type;
			lines.push('', `line ${cost.line} raised ${message}`);
			const largest = cost.failure.largestFreeBytes;
			if (cost.failure.freeBytes === 0) {
				lines.push('at that moment the heap was full: 0 B free.');
			} else if (largest !== undefined) {
				lines.push(
					`at that moment ${formatBytes(cost.failure.freeBytes)} were free in total,`,
					`but the largest free run was ${formatBytes(largest)}: nothing bigger can be allocated.`,
				);
			}
			const note = noteFor(cost.failure);
			if (note !== undefined) lines.push(...wrapWords(`note: ${note}.`, 80));
		}
	}
	const retained = costs.reduce((sum, cost) => sum + cost.retainedBytes, 0);
	lines.push('', `total retained ${formatBytes(retained)}; * marks the three statements that keep the most`);
	return `${lines.join('\n')}\n`;
}
