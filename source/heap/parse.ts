import { finishDump, type OpenDump, openArea, openDump } from './finish-dump.js';
import type { HeapSnapshot, ParseResult } from './model.js';

// Line formats of every firmware seen since 2014 (protocol.md §6.2). Lines arrive with trailing \r removed.
const MEM = /^mem: total=(\d+), current=(\d+), peak=(\d+)$/;
const STACK = /^stack: (\d+)(?: out of (\d+))?$/;
const GC = /^GC: total: (\d+), used: (\d+), free: (\d+)(?:, max new split: (\d+))?$/;
// Real output starts this line with one space; pasted copies often lose it.
const COUNTS = /^\s*No\. of 1-blocks: (\d+), 2-blocks: (\d+), max blk sz: (\d+)(?:, max free sz: (\d+))?$/;
const LAYOUT = /^GC memory layout; from ([0-9a-fA-F]+):$/;
// The unmerged esp32 split-heap fork of PR #3533 (2018).
const FORK_AREA = /^GC area #\d+ \(size (\d+)\), from ([0-9a-fA-F]+):$/;
// Seven spaces in real output; copies change the count.
const ELISION = /^\s+\((\d+) lines all free\)$/;
const CELLS_PER_ROW = 64;
const NOT_A_LETTER_ALL = /[^\x21-\x7e]/g;
/** A cell that is no letter, or the old tail `t`: one test a row finds either, and nearly every row has neither. */
const NEEDS_CLEANING = /[^\x21-\x73\x75-\x7e]/;
const FREE = 0x2e; // '.'
/**
 * No line of a dump comes near this length (a row is 74 characters); longer ones are cut to their last part
 * as they arrive, so that a gigabyte without a newline costs no more memory than a line.
 */
const MAX_LINE = 4096;
// Where a summary line may sit after other text on the same line: `OK` of the raw REPL, a `>>> ` prompt,
// an RTT ` 0> ` prefix.
const SUMMARY_START = /(?:mem: total=|stack: \d|GC: total: )/;

/**
 * The length of a row's label (5 or 8 lowercase hex digits, then `: `), or 0 when the line is no row.
 * Same as /^([0-9a-f]{5}|[0-9a-f]{8}): / without the regex engine.
 */
/**
 * The numbers of a matched line, groups 1 to `count`; a number beyond 2^53 (where a double stops holding
 * integers exactly) is undefined, with a warning on the dump, rather than silently rounded.
 */
function figures(dump: OpenDump, name: string, match: RegExpExecArray, count: number): (number | undefined)[] {
	const values: (number | undefined)[] = [];
	for (let group = 1; group <= count; group++) {
		const digits = match[group];
		if (digits === undefined) {
			values.push(undefined);
			continue;
		}
		const value = Number(digits);
		if (Number.isSafeInteger(value)) values.push(value);
		else {
			values.push(undefined);
			const shown = digits.length > 20 ? `a ${digits.length}-digit number` : digits;
			dump.warnings.push(`the ${name} line holds ${shown}, beyond 2^53: that figure is left out as unknown`);
		}
	}
	return values;
}

function rowLabelLength(line: string): number {
	const colon = line.charCodeAt(5) === 0x3a ? 5 : line.charCodeAt(8) === 0x3a ? 8 : 0;
	if (colon === 0 || line.charCodeAt(colon + 1) !== 0x20) return 0;
	for (let index = 0; index < colon; index++) {
		const code = line.charCodeAt(index);
		const isHex = (code >= 0x30 && code <= 0x39) || (code >= 0x61 && code <= 0x66);
		if (!isHex) return 0;
	}
	return colon;
}

/** A chunk-fed `mem_info` reader. Its only state is the unfinished line and the dump being read. */
export type MemInfoParser = {
	/** Feeds text; returns the dumps that this text completed. */
	push(chunk: string): HeapSnapshot[];
	/** Ends the input: the dump being read, if any, is finished as it stands. */
	end(): HeapSnapshot[];
	/** True while a dump has started and not yet finished, so a source can tell a dump is in flight. */
	inDump(): boolean;
	/**
	 * The dump being read, as a snapshot of the lines read so far (its map holds the rows that came, and says it
	 * is not complete); undefined before its GC line. The parser goes on as if it had not been asked.
	 */
	partial(): HeapSnapshot | undefined;
	/** The first line that looked like the start of a dump but led nowhere, for error messages. */
	strayLine(): string | undefined;
	/** Why that dump led nowhere, when it was more than a missing GC line. */
	strayReason(): string | undefined;
};

/**
 * Creates a streaming parser. Dumps may sit in a whole console log with other output around them; a dump
 * ends at the first line that is not part of it, or at `end()`. `\x04` (raw REPL framing) ends a line too.
 */
export function createMemInfoParser(): MemInfoParser {
	let pending = '';
	let dump: OpenDump | undefined;
	let stray: string | undefined;
	let strayReason: string | undefined;

	function close(out: HeapSnapshot[]): void {
		if (!dump) return;
		const snapshot = finishDump(dump);
		if (snapshot) out.push(snapshot);
		else if (stray === undefined) {
			stray = dump.lines[0];
			strayReason = dump.rejected;
		}
		dump = undefined;
	}

	/** Opens a dump when the line is (or ends with) its first summary line. */
	function startFrom(line: string): void {
		const at = line.search(SUMMARY_START);
		if (at < 0) return;
		dump = openDump();
		if (!summaryLine(line.slice(at))) dump = undefined;
	}

	/** Takes a summary line into the open dump; false when the line is not one. */
	function summaryLine(line: string): boolean {
		if (!dump) return false;
		let match = MEM.exec(line);
		if (match && dump.stage < 1) {
			const [total, current, peak] = figures(dump, 'mem', match, 3);
			if (total !== undefined && current !== undefined && peak !== undefined) {
				dump.mem = { totalBytes: total, currentBytes: current, peakBytes: peak };
			}
			return accept(line, 1);
		}
		match = STACK.exec(line);
		if (match && dump.stage < 2) {
			const [used, limit] = figures(dump, 'stack', match, 2);
			if (used !== undefined) {
				dump.stack = { usedBytes: used };
				if (limit !== undefined) dump.stack.limitBytes = limit;
			}
			return accept(line, 2);
		}
		match = GC.exec(line);
		if (match && dump.stage < 3) {
			const [total, used, free, split] = figures(dump, 'GC', match, 4);
			if (total !== undefined && used !== undefined && free !== undefined) {
				dump.gc = { totalBytes: total, usedBytes: used, freeBytes: free };
				if (split !== undefined) dump.gc.maxNewSplitBytes = split;
			} else {
				dump.rejected = `its GC line holds a number beyond what heaptop can hold exactly (2^53): "${line.slice(0, 60)}"`;
			}
			return accept(line, 3);
		}
		match = COUNTS.exec(line);
		if (match && dump.stage < 4 && dump.stage >= 3) {
			const [one, two, maxBlock, maxFree] = figures(dump, 'No. of 1-blocks', match, 4);
			if (one !== undefined && two !== undefined && maxBlock !== undefined) {
				dump.counts = { oneBlock: one, twoBlock: two, maxBlockBlocks: maxBlock };
				if (maxFree !== undefined) dump.counts.maxFreeBlocks = maxFree;
			}
			return accept(line, 4);
		}
		return false;
	}

	function accept(line: string, stage: number): boolean {
		if (dump) {
			dump.stage = stage;
			dump.lines.push(line);
		}
		return true;
	}

	/** Whether `tableLine` would take a line that is no row: an area header, an elision. */
	function isOtherTableLine(line: string, stage: number): boolean {
		return LAYOUT.test(line) || FORK_AREA.test(line) || (stage >= 4 && ELISION.test(line));
	}

	/**
	 * Whether the open dump's table has room for one more line. At 4 B a block (the smallest MicroPython has),
	 * the GC total bounds the rows a map can have; a few more lines are left for area headers and elisions. A
	 * table longer than that (a board that prints rows without end) is no map of this heap: the dump ends
	 * there, warned, so that memory stays bounded by what a real dump of that heap could be.
	 */
	function tableHasRoom(open: OpenDump): boolean {
		open.tableLines = (open.tableLines ?? 0) + 1;
		const most = Math.floor((open.gc?.totalBytes ?? 0) / 4 / CELLS_PER_ROW) + 64;
		if (open.tableLines <= most) return true;
		open.warnings.push(`the map goes on past ${most} lines, more than the GC total can hold: the dump is ended there`);
		open.mapDamaged = true;
		return false;
	}

	/** Takes a table line into the open dump; false when the line is not one. */
	function tableLine(line: string): boolean {
		if (!dump || dump.stage < 3) return false;
		// Rows are nearly every line of a big dump, so they are tried first, without a regex.
		const colon = rowLabelLength(line);
		if ((colon > 0 || isOtherTableLine(line, dump.stage)) && !tableHasRoom(dump)) return false;
		if (colon > 0) {
			// Builds with EXTENSIVE_HEAP_PROFILING print rows with no header before them.
			if (dump.areas.length === 0) dump.areas.push(openArea(''));
			const area = dump.areas[dump.areas.length - 1];
			if (!area) return false;
			const label = line.slice(0, colon);
			let cells = line.slice(colon + 2);
			area.labels.push({ row: area.rowCount, label, cellCount: cells.length });
			// Every letter the firmware prints is printable ASCII; anything else (a control, an escape, a
			// stray byte) is kept as `?`, one per character, so it counts as an unknown letter and can never
			// reach a terminal from the map.
			if (NEEDS_CLEANING.test(cells)) {
				cells = cells.replace(NOT_A_LETTER_ALL, '?');
				if (cells.includes('t')) {
					// Before v1.8.1 tails were printed `t`; from then on `t` is no letter at all.
					cells = cells.replaceAll('t', '=');
					dump.oldTails = true;
				}
			}
			area.cells.addText(cells);
			area.rowCount++;
			dump.labelDigits = colon;
			return accept(line, 5);
		}
		let match = LAYOUT.exec(line);
		if (match) {
			dump.areas.push(openArea((match[1] ?? '').toLowerCase()));
			return accept(line, 5);
		}
		match = FORK_AREA.exec(line);
		if (match) {
			const area = openArea((match[2] ?? '').toLowerCase());
			const [declared] = figures(dump, 'GC area', match, 1);
			if (declared !== undefined) area.declaredBytes = declared;
			dump.areas.push(area);
			dump.forkHeaders = true;
			return accept(line, 5);
		}
		match = ELISION.exec(line);
		if (match && dump.stage >= 4) {
			if (dump.areas.length === 0) dump.areas.push(openArea(''));
			const area = dump.areas[dump.areas.length - 1];
			if (!area) return false;
			const rows = Number(match[1]);
			// At 4 B a block (the smallest MicroPython has), the GC total bounds the rows a map can have.
			const most = Math.floor((dump.gc?.totalBytes ?? 0) / 4 / CELLS_PER_ROW);
			if (!Number.isSafeInteger(rows * CELLS_PER_ROW) || rows > most) {
				const count = (match[1] ?? '').length > 20 ? `a ${(match[1] ?? '').length}-digit number of` : `${rows}`;
				dump.warnings.push(
					`an elision line claims ${count} free rows, more than the GC total can hold: it is left out, and the map is damaged from there`,
				);
				dump.mapDamaged = true;
				return accept(line, 5);
			}
			area.cells.addRepeat(FREE, rows * CELLS_PER_ROW);
			area.rowCount += rows;
			return accept(line, 5);
		}
		return false;
	}

	function line(raw: string, out: HeapSnapshot[]): void {
		if (raw.length > MAX_LINE) {
			// No dump line is this long: it ends a dump, though a summary line may still end it.
			close(out);
			startFrom(raw.slice(-MAX_LINE).trimEnd());
			return;
		}
		const text = raw.trimEnd();
		if (dump) {
			// A summary line that belongs to a later stage continues this dump; an earlier one starts the next.
			if (dump.stage < 5 && summaryLine(text)) return;
			if (tableLine(text)) return;
			close(out);
		}
		if (text.length > 0) startFrom(text);
	}

	function feed(text: string, out: HeapSnapshot[]): void {
		// Native indexOf finds line ends far faster than a loop over characters: a dump of an 8 MiB heap is
		// half a megabyte of text.
		let start = 0;
		for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
			lineWithFraming(text.slice(start, end), out);
			start = end + 1;
		}
		// An endless line is kept to its last part, which is all `line` would look at.
		pending = text.length - start > MAX_LINE * 2 ? text.slice(-MAX_LINE - 1) : text.slice(start);
	}

	/** `\x04` frames raw REPL output; it ends a line just as a newline does. */
	function lineWithFraming(text: string, out: HeapSnapshot[]): void {
		if (!text.includes('\x04')) {
			line(text, out);
			return;
		}
		for (const part of text.split('\x04')) line(part, out);
	}

	return {
		push(chunk) {
			const out: HeapSnapshot[] = [];
			feed(pending + chunk, out);
			return out;
		},
		end() {
			const out: HeapSnapshot[] = [];
			if (pending.length > 0) lineWithFraming(pending, out);
			pending = '';
			close(out);
			return out;
		},
		inDump: () => dump !== undefined,
		partial: () => (dump ? finishDump(dump) : undefined),
		strayLine: () => stray,
		strayReason: () => strayReason,
	};
}

/** Every dump in the text, in order. */
export function parseAllMemInfo(text: string): HeapSnapshot[] {
	const parser = createMemInfoParser();
	return [...parser.push(text), ...parser.end()];
}

/**
 * Why no dump was found in text: the first line that began a dump and led nowhere, or that none began.
 * `reason` is the parser's, when it was more than a missing GC line.
 */
export function textNoDumpReason(stray: string | undefined, reason: string | undefined): string {
	if (stray !== undefined) {
		return reason !== undefined
			? `found a dump, but ${reason}`
			: `found "${stray.slice(0, 60)}" but no "GC: total: …" line after it: the dump is cut off`;
	}
	return 'no mem_info dump found: expected the output of micropython.mem_info(1), starting "stack: …" or "GC: total: …"';
}

/** The last dump in the text, or a typed error saying what was expected. Never throws. */
export function parseMemInfo(text: string): ParseResult {
	const parser = createMemInfoParser();
	return parseResultOf(parser, [...parser.push(text), ...parser.end()]);
}

/**
 * What `parseMemInfo` says of a text that `parser` has read to its end, `snapshots` being every dump it gave:
 * for a source that fed the parser as the text streamed in.
 */
export function parseResultOf(parser: MemInfoParser, snapshots: readonly HeapSnapshot[]): ParseResult {
	const last = snapshots[snapshots.length - 1];
	if (last) return { ok: true, snapshot: last };
	const stray = parser.strayLine();
	const message = textNoDumpReason(stray, parser.strayReason());
	return { ok: false, error: { kind: stray !== undefined ? 'incomplete' : 'no-dump', message } };
}
