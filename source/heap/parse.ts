import { finishDump, type OpenDump, openDump } from './finish-dump.js';
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
// Where a summary line may sit after other text on the same line: `OK` of the raw REPL, a `>>> ` prompt,
// an RTT ` 0> ` prefix.
const SUMMARY_START = /(?:mem: total=|stack: \d|GC: total: )/;

/**
 * The length of a row's label (5 or 8 lowercase hex digits, then `: `), or 0 when the line is no row.
 * Same as /^([0-9a-f]{5}|[0-9a-f]{8}): / without the regex engine.
 */
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
	/** The first line that looked like the start of a dump but led nowhere, for error messages. */
	strayLine(): string | undefined;
};

/**
 * Creates a streaming parser. Dumps may sit in a whole console log with other output around them; a dump
 * ends at the first line that is not part of it, or at `end()`. `\x04` (raw REPL framing) ends a line too.
 */
export function createMemInfoParser(): MemInfoParser {
	let pending = '';
	let dump: OpenDump | undefined;
	let stray: string | undefined;

	function close(out: HeapSnapshot[]): void {
		if (!dump) return;
		const snapshot = finishDump(dump);
		if (snapshot) out.push(snapshot);
		else stray ??= dump.lines[0];
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
			dump.mem = { totalBytes: Number(match[1]), currentBytes: Number(match[2]), peakBytes: Number(match[3]) };
			return accept(line, 1);
		}
		match = STACK.exec(line);
		if (match && dump.stage < 2) {
			dump.stack = { usedBytes: Number(match[1]) };
			if (match[2] !== undefined) dump.stack.limitBytes = Number(match[2]);
			return accept(line, 2);
		}
		match = GC.exec(line);
		if (match && dump.stage < 3) {
			dump.gc = { totalBytes: Number(match[1]), usedBytes: Number(match[2]), freeBytes: Number(match[3]) };
			if (match[4] !== undefined) dump.gc.maxNewSplitBytes = Number(match[4]);
			return accept(line, 3);
		}
		match = COUNTS.exec(line);
		if (match && dump.stage < 4 && dump.stage >= 3) {
			dump.counts = { oneBlock: Number(match[1]), twoBlock: Number(match[2]), maxBlockBlocks: Number(match[3]) };
			if (match[4] !== undefined) dump.counts.maxFreeBlocks = Number(match[4]);
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

	/** Takes a table line into the open dump; false when the line is not one. */
	function tableLine(line: string): boolean {
		if (!dump || dump.stage < 3) return false;
		// Rows are nearly every line of a big dump, so they are tried first, without a regex.
		const colon = rowLabelLength(line);
		if (colon > 0) {
			// Builds with EXTENSIVE_HEAP_PROFILING print rows with no header before them.
			if (dump.areas.length === 0) dump.areas.push({ address: '', rows: [], labels: [], rowCount: 0 });
			const area = dump.areas[dump.areas.length - 1];
			if (!area) return false;
			const label = line.slice(0, colon);
			const cells = line.slice(colon + 2);
			area.labels.push({ row: area.rowCount, label, cellCount: cells.length });
			area.rows.push(cells);
			area.rowCount++;
			dump.labelDigits = colon;
			return accept(line, 5);
		}
		let match = LAYOUT.exec(line);
		if (match) {
			dump.areas.push({ address: (match[1] ?? '').toLowerCase(), rows: [], labels: [], rowCount: 0 });
			return accept(line, 5);
		}
		match = FORK_AREA.exec(line);
		if (match) {
			dump.areas.push({
				address: (match[2] ?? '').toLowerCase(),
				declaredBytes: Number(match[1]),
				rows: [],
				labels: [],
				rowCount: 0,
			});
			dump.forkHeaders = true;
			return accept(line, 5);
		}
		match = ELISION.exec(line);
		if (match && dump.stage >= 4) {
			if (dump.areas.length === 0) dump.areas.push({ address: '', rows: [], labels: [], rowCount: 0 });
			const area = dump.areas[dump.areas.length - 1];
			if (!area) return false;
			const rows = Number(match[1]);
			area.rows.push('.'.repeat(rows * 64));
			area.rowCount += rows;
			area.elided = true;
			return accept(line, 5);
		}
		return false;
	}

	function line(raw: string, out: HeapSnapshot[]): void {
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
		pending = text.slice(start);
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
		strayLine: () => stray,
	};
}

/** Every dump in the text, in order. */
export function parseAllMemInfo(text: string): HeapSnapshot[] {
	const parser = createMemInfoParser();
	return [...parser.push(text), ...parser.end()];
}

/** The last dump in the text, or a typed error saying what was expected. Never throws. */
export function parseMemInfo(text: string): ParseResult {
	const parser = createMemInfoParser();
	const snapshots = [...parser.push(text), ...parser.end()];
	const last = snapshots[snapshots.length - 1];
	if (last) return { ok: true, snapshot: last };
	const stray = parser.strayLine();
	if (stray !== undefined) {
		return {
			ok: false,
			error: {
				kind: 'incomplete',
				message: `found "${stray.slice(0, 60)}" but no "GC: total: …" line after it: the dump is cut off`,
			},
		};
	}
	return {
		ok: false,
		error: {
			kind: 'no-dump',
			message:
				'no mem_info dump found: expected the output of micropython.mem_info(1), starting "stack: …" or "GC: total: …"',
		},
	};
}
