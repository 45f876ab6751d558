import type { HeapSnapshot } from './model.js';
import { parseAllMemInfo } from './parse.js';

/**
 * Reads heaptop's own printed text (`--once`, `inspect`, `replay --once`) back: each printed dump is turned
 * into the `mem_info(1)` lines it was made from (summary figures, area headers, map rows, folded free rows)
 * and parsed as one. A printed dump runs from its `GC` row to its legend. Pure; one printed dump is held at
 * a time.
 */

export type PrintedReader = {
	push(chunk: string): HeapSnapshot[];
	end(): HeapSnapshot[];
};

// biome-ignore lint/suspicious/noControlCharactersInRegex: colour from a terminal capture is taken off first.
const SGR = /\x1b\[[0-9;]*m/g;
const NUMBER = '([0-9][0-9,]*)';
// The separator: `·`, or `-` in a capture of ASCII output (`--ascii`, a locale that is not UTF-8).
const DOT = '[·-]';
const GC = new RegExp(`^GC {8}total ${NUMBER} B ${DOT} used ${NUMBER} B \\([^)]*\\) ${DOT} free ${NUMBER} B$`);
const SPLIT_NONE = /^new split the heap cannot grow/;
const SPLIT = new RegExp(`^new split ${NUMBER} B more could be added`);
const STACK_LIMIT = new RegExp(`^stack {5}${NUMBER} B of ${NUMBER} B`);
const STACK_ONLY = new RegExp(`^stack {5}${NUMBER} B used`);
const MEM = new RegExp(`^mem {7}total ${NUMBER} B ${DOT} current ${NUMBER} B ${DOT} peak ${NUMBER} B`);
const ONE = new RegExp(`1-blocks ${NUMBER}`);
const TWO = new RegExp(`2-blocks ${NUMBER}`);
const MAX_BLOCK = new RegExp(`max block ${NUMBER} block`);
const MAX_FREE = new RegExp(`max free sz ${NUMBER} block`);
// `area 1 of 2 · from 3ffb0000 · …`; before December `area 0 · from 3ffb0000 · …`.
const AREA = new RegExp(`^area \\d+(?: of \\d+)? ${DOT} from (\\S+)(?: ${DOT} |$)`);
const ROW = /^([0-9a-f]{8}) (\S+)$/;
const FOLDED = new RegExp(`^ +\\(${NUMBER} rows all free\\)$`);
const COUNTS_MISSING = 'the " No. of 1-blocks…" line is missing';

const number = (text: string | undefined) => Number((text ?? '').replaceAll(',', ''));

type Printed = {
	gc: string;
	split?: number;
	stack?: string;
	mem?: string;
	oneBlock?: number;
	twoBlock?: number;
	maxBlock?: number;
	/** The firmware's own `max free sz`, which the counts row names only when it was printed. */
	maxFree?: number;
	countsMissing: boolean;
	/** The summary row being read, so that a wrapped `counts` row is read whole and nothing else is. */
	rowName?: string;
	table: string[];
	/** Once the map has begun, summary rows no longer belong to this dump. */
	inMap: boolean;
};

export function createPrintedReader(): PrintedReader {
	let pending = '';
	let dump: Printed | undefined;

	function finish(out: HeapSnapshot[]): void {
		if (!dump) return;
		const { gc, split, stack, mem, oneBlock, twoBlock, maxBlock, maxFree, countsMissing, table } = dump;
		dump = undefined;
		const lines: string[] = [];
		if (mem) lines.push(mem);
		if (stack) lines.push(stack);
		lines.push(split === undefined ? gc : `${gc}, max new split: ${split}`);
		if (oneBlock !== undefined && twoBlock !== undefined && maxBlock !== undefined && !countsMissing) {
			const free = maxFree === undefined ? '' : `, max free sz: ${maxFree}`;
			lines.push(` No. of 1-blocks: ${oneBlock}, 2-blocks: ${twoBlock}, max blk sz: ${maxBlock}${free}`);
		}
		// Rows before any area header come from a dump whose table had none (EXTENSIVE_HEAP_PROFILING).
		lines.push(...table);
		out.push(...parseAllMemInfo(lines.join('\n')));
	}

	/**
	 * Takes one table line; a table longer than the GC total allows (the parser's bound, one line past it so
	 * that the parser warns) ends the dump there, so that a printed dump without end is never held whole.
	 */
	function tableLine(printed: Printed, text: string, out: HeapSnapshot[]): void {
		printed.table.push(text);
		const total = Number(/total: (\d+)/.exec(printed.gc)?.[1] ?? 0);
		if (printed.table.length > Math.floor(total / 4 / 64) + 64) finish(out);
	}

	function line(raw: string, out: HeapSnapshot[]): void {
		const text = raw.includes('\x1b') ? raw.replace(SGR, '').trimEnd() : raw.trimEnd();
		const gc = GC.exec(text);
		if (gc) {
			finish(out);
			dump = {
				gc: `GC: total: ${number(gc[1])}, used: ${number(gc[2])}, free: ${number(gc[3])}`,
				countsMissing: false,
				table: [],
				inMap: false,
			};
			return;
		}
		if (!dump) return;
		if (text.startsWith('legend ') || text.startsWith('map       none')) {
			finish(out);
			return;
		}
		if (!dump.inMap) {
			summaryRow(dump, text);
			if (!text.startsWith('area ')) return;
		}
		const area = AREA.exec(text);
		if (area) {
			dump.inMap = true;
			if (area[1] !== 'unknown') tableLine(dump, `GC memory layout; from ${area[1]}:`, out);
			return;
		}
		const row = ROW.exec(text);
		if (row) {
			tableLine(dump, `${row[1]}: ${row[2]}`, out);
			return;
		}
		const folded = FOLDED.exec(text);
		if (folded) tableLine(dump, `       (${number(folded[1])} lines all free)`, out);
	}

	function summaryRow(printed: Printed, text: string): void {
		if (SPLIT_NONE.test(text)) printed.split = 0;
		const split = SPLIT.exec(text);
		if (split) printed.split = number(split[1]);
		const limit = STACK_LIMIT.exec(text);
		if (limit) printed.stack = `stack: ${number(limit[1])} out of ${number(limit[2])}`;
		const only = STACK_ONLY.exec(text);
		if (only) printed.stack = `stack: ${number(only[1])}`;
		const mem = MEM.exec(text);
		if (mem) printed.mem = `mem: total=${number(mem[1])}, current=${number(mem[2])}, peak=${number(mem[3])}`;
		// A row's name is in its first ten columns; a wrapped row goes on under an empty name.
		const name = text.slice(0, 10).trim();
		if (name !== '') printed.rowName = name;
		if (text.includes(COUNTS_MISSING)) printed.countsMissing = true;
		if (printed.rowName !== 'counts') return;
		const one = ONE.exec(text);
		if (one) printed.oneBlock = number(one[1]);
		const two = TWO.exec(text);
		if (two) printed.twoBlock = number(two[1]);
		const maxBlock = MAX_BLOCK.exec(text);
		if (maxBlock) printed.maxBlock = number(maxBlock[1]);
		const maxFree = MAX_FREE.exec(text);
		if (maxFree) printed.maxFree = number(maxFree[1]);
	}

	return {
		push(chunk) {
			const out: HeapSnapshot[] = [];
			const text = pending + chunk;
			let start = 0;
			for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
				line(text.slice(start, end), out);
				start = end + 1;
			}
			// The printed lines are short; a longer one is none of them, and is not kept whole.
			pending = text.length - start > 8192 ? '' : text.slice(start);
			return out;
		},
		end() {
			const out: HeapSnapshot[] = [];
			if (pending.length > 0) line(pending, out);
			pending = '';
			finish(out);
			return out;
		},
	};
}
