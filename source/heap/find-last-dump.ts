import type { HeapSnapshot } from './model.js';
import { createMemInfoParser, textNoDumpReason } from './parse.js';
import { createDumpReader, type DumpReader } from './read-dumps.js';

/**
 * Finds the last dump of a console log without parsing the others, so that `inspect` of a gigabyte costs
 * little more than reading it. The bytes are cut into regions at lines where the parser is sure to start
 * afresh (see `isFreshStart`), so that parsing a region alone gives what parsing the whole input gives for
 * that stretch. Regions are kept as raw bytes, unparsed; when they add up to `BUDGET`, the newest that holds
 * a dump is parsed and the older ones are dropped. Only the last region, at the end, is parsed for certain.
 *
 * Input this reasoning does not cover goes to the streaming reader unchanged, from the first region not yet
 * parsed: JSON (its first character is `{` or `[`), a first character outside ASCII, and heaptop's own
 * printed text (an escape, or the `GC        total` row), whose dumps run across lines of any kind.
 *
 * It searches bytes with `Buffer` (native searches), and does no I/O.
 */
export type LastDumpFinder = {
	push(chunk: Uint8Array): void;
	/** The last dump of the input, once it has ended; undefined when it holds none. */
	end(): HeapSnapshot | undefined;
	/** Why no dump was found, for the user, once `end` found none. */
	noDumpReason(): string;
};

/**
 * Unparsed regions are resolved once they hold this many bytes: the bound on memory beside one dump. Each
 * resolve parses at least the newest dump, so a small budget parses many dumps of a big log that nobody asked
 * for: at 4 MB, a 400 MB console log of 192 KiB heaps spent a quarter of its time parsing.
 */
const BUDGET = 16 * 1024 * 1024;
/**
 * A region is cut about this often, so that resolving parses little more than one. Each cut costs a search
 * back for a line to cut at, which inside a big dump runs to the dump's start: 16 KB windows spent 40 % of
 * that log's time cutting.
 */
const WINDOW = 64 * 1024;
/** Lines tried, going back from a window's end, for a place to cut; then lines holding `total`. */
const LINES_TRIED = 64;
const ANCHORS_TRIED = 8;
/** Longer lines are not examined as a place to cut (a dump's lines are under 100 bytes). */
const LONGEST_EXAMINED = 512;

const NEWLINE = 0x0a;
const ESC = 0x1b;
const FRAME_END = 0x04;
const COLON = 0x3a;
// Bytes that, found in a line, may make it a summary line or start of a dump (parse.ts SUMMARY_START).
const TOTAL = Buffer.from('total');
const STACK = Buffer.from('stack: ');
// What may make a line part of a table (parse.ts tableLine): its headers and elisions.
const ELISION = Buffer.from('lines all free');
const AREA_HEADER = Buffer.from('GC ');
// heaptop's printed GC row (read-printed.ts): where printed text begins.
const PRINTED_GC = '        total';
const MIDDLE_DOT = 0xb7;

type Region = { pieces: Buffer[]; bytes: number; index: number };
type Stray = { line: string; reason: string | undefined; index: number };

/**
 * Whether `needle` occurs in `buffer` between `start` and `end`. A loop, for the short lines it is used on: a
 * native search would not stop at `end`.
 */
function holds(buffer: Buffer, start: number, end: number, needle: Buffer): boolean {
	const first = needle[0];
	for (let at = start; at + needle.length <= end; at++) {
		if (buffer[at] !== first) continue;
		let index = 1;
		while (index < needle.length && buffer[at + index] === needle[index]) index++;
		if (index === needle.length) return true;
	}
	return false;
}

function holdsByte(buffer: Buffer, start: number, end: number, byte: number): boolean {
	for (let at = start; at < end; at++) if (buffer[at] === byte) return true;
	return false;
}

/**
 * True when a fresh parser started at line `start` reads on exactly as the parser that read everything
 * before it. The line before (P) holds no summary line's start and no `\x04`, so after it the parser is in
 * no dump, or in one past its counts line; this line (M) is then no table line (no row label, header,
 * elision or `\x04`), so it closes any dump and is read as the first line of input would be.
 */
function isFreshStart(buffer: Buffer, start: number, end: number, previousStart: number): boolean {
	if (end - start > LONGEST_EXAMINED || start - previousStart > LONGEST_EXAMINED) return false;
	// A row label is 5 or 8 hex digits then `: `; any colon there, or a byte outside ASCII before it, may be one.
	for (let index = start; index < Math.min(end, start + 10); index++) {
		const byte = buffer[index] ?? 0;
		if (byte >= 0x80) return false;
	}
	if (buffer[start + 5] === COLON || buffer[start + 8] === COLON) return false;
	if (holdsByte(buffer, start, end, FRAME_END) || holds(buffer, start, end, ELISION)) return false;
	if (holds(buffer, start, Math.min(end, start + AREA_HEADER.length), AREA_HEADER)) return false;
	const lineEnd = start - 1;
	if (holdsByte(buffer, previousStart, lineEnd, FRAME_END)) return false;
	return !holds(buffer, previousStart, lineEnd, TOTAL) && !holds(buffer, previousStart, lineEnd, STACK);
}

/** A place in `buffer` after `low` and at most `high` where a region may start, or -1. */
function findCut(buffer: Buffer, low: number, high: number): number {
	const tryLine = (start: number): boolean => {
		if (start <= low || buffer[start - 1] !== NEWLINE) return false;
		const end = buffer.indexOf(NEWLINE, start);
		const previousStart = start >= 2 ? buffer.lastIndexOf(NEWLINE, start - 2) + 1 : 0;
		// The line before must begin after a newline seen in this chunk, so that all of it is here.
		if (end < 0 || previousStart <= low || previousStart === 0) return false;
		return isFreshStart(buffer, start, end, previousStart);
	};
	let start = buffer.lastIndexOf(NEWLINE, high - 1) + 1;
	for (let tried = 0; tried < LINES_TRIED && start > low; tried++) {
		if (tryLine(start)) return start;
		start = start >= 2 ? buffer.lastIndexOf(NEWLINE, start - 2) + 1 : 0;
	}
	let anchor = buffer.lastIndexOf(TOTAL, start);
	for (let tried = 0; tried < ANCHORS_TRIED && anchor > low; tried++) {
		const lineStart = buffer.lastIndexOf(NEWLINE, anchor) + 1;
		if (tryLine(lineStart)) return lineStart;
		anchor = lineStart >= 2 ? buffer.lastIndexOf(TOTAL, lineStart - 2) : -1;
	}
	return -1;
}

/**
 * A place to cut `bytes` in front of the line that holds its last `total` or `stack: `, where the last dump
 * may start; 0 when there is none worth trying.
 */
function lastDumpCut(bytes: Buffer): number {
	const anchor = Math.max(bytes.lastIndexOf(TOTAL), bytes.lastIndexOf(STACK));
	if (anchor <= 0) return 0;
	return Math.max(0, findCut(bytes, 0, bytes.lastIndexOf(NEWLINE, anchor) + 2));
}

/** Whether the region holds the start of any dump: without one it yields nothing and can be dropped. */
function mayHoldDump(region: Region): boolean {
	const { pieces } = region;
	for (let index = 0; index < pieces.length; index++) {
		const piece = pieces[index] as Buffer;
		if (piece.includes(TOTAL) || piece.includes(STACK)) return true;
		const next = pieces[index + 1];
		if (next !== undefined) {
			// A marker cut in two by a chunk boundary.
			const seam = Buffer.concat([piece.subarray(-STACK.length), next.subarray(0, STACK.length)]);
			if (seam.includes(TOTAL) || seam.includes(STACK)) return true;
		}
	}
	return false;
}

/** `budgetBytes`: the bound on unparsed regions (`BUDGET`); tests make it small to resolve often. */
export function createLastDumpFinder({ budgetBytes = BUDGET }: { budgetBytes?: number } = {}): LastDumpFinder {
	let mode: 'start' | 'fast' | 'streamed' = 'start';
	let open: Region = { pieces: [], bytes: 0, index: 0 };
	let regions: Region[] = [];
	let regionBytes = 0;
	let regionCount = 0;
	let last: HeapSnapshot | undefined;
	let stray: Stray | undefined;
	// The reader everything goes to once the input is of a kind the cutting does not cover.
	let streamed: { reader: DumpReader; decoder: InstanceType<typeof TextDecoder>; last?: HeapSnapshot } | undefined;
	// The end of the previous chunk, for a printed GC row cut in two.
	let tail = Buffer.alloc(0);

	function parseRegion(region: Region): HeapSnapshot | undefined {
		const bytes = Buffer.concat(region.pieces);
		// A region holds several dumps of a small heap, and only its last is wanted: first from a cut in front of
		// its last summary line. A cut is a fresh start, so what the parser finds after it is what it finds there
		// reading the whole region; when it finds nothing (the line was no dump's), the whole region is read.
		const late = lastDumpCut(bytes);
		if (late > 0) {
			const lateParser = createMemInfoParser();
			const found = [...lateParser.push(bytes.toString('utf8', late)), ...lateParser.end()];
			if (found.length > 0) return found.at(-1);
		}
		const parser = createMemInfoParser();
		const found = [...parser.push(bytes.toString('utf8')), ...parser.end()];
		const line = parser.strayLine();
		if (found.length === 0 && line !== undefined && (stray === undefined || region.index < stray.index)) {
			stray = { line, reason: parser.strayReason(), index: region.index };
		}
		return found.at(-1);
	}

	/** Parses the newest regions until one holds a dump; the older ones then cannot hold the last. */
	function resolve(): void {
		for (let index = regions.length - 1; index >= 0; index--) {
			const found = parseRegion(regions[index] as Region);
			if (found) {
				last = found;
				break;
			}
		}
		regions = [];
		regionBytes = 0;
	}

	function closeRegion(): void {
		const region = open;
		regionCount++;
		open = { pieces: [], bytes: 0, index: regionCount };
		if (region.bytes === 0 || !mayHoldDump(region)) return;
		regions.push(region);
		regionBytes += region.bytes;
		if (regionBytes > budgetBytes) resolve();
	}

	function addPiece(piece: Buffer): void {
		if (piece.length === 0) return;
		open.pieces.push(piece);
		open.bytes += piece.length;
	}

	/** From here on, everything goes to the streaming reader, starting with the regions not yet parsed. */
	function stream(chunk: Buffer): void {
		streamed = { reader: createDumpReader(mode === 'fast' ? 'text' : undefined), decoder: new TextDecoder() };
		mode = 'streamed';
		for (const region of [...regions, open]) for (const piece of region.pieces) feed(piece);
		regions = [];
		regionBytes = 0;
		open = { pieces: [], bytes: 0, index: regionCount };
		feed(chunk);
	}

	function feed(bytes: Uint8Array): void {
		if (!streamed) return;
		const found = streamed.reader.push(streamed.decoder.decode(bytes, { stream: true }));
		if (found.length > 0) streamed.last = found.at(-1);
	}

	function fast(chunk: Buffer): void {
		const seam = Buffer.concat([tail, chunk.subarray(0, PRINTED_GC.length)]);
		// The printed GC row holds a `·` (C2 B7); one byte is found far faster than the row's long run of spaces.
		// A row cut by the chunk's end may have its `·` in the next chunk: the end is searched whole.
		const printed =
			(chunk.includes(MIDDLE_DOT) && chunk.includes(PRINTED_GC)) ||
			seam.includes(PRINTED_GC) ||
			chunk.subarray(-64).includes(PRINTED_GC);
		if (chunk.includes(ESC) || printed) {
			stream(chunk);
			return;
		}
		tail = Buffer.from(chunk.subarray(-PRINTED_GC.length));
		let from = 0;
		for (let high = Math.min(chunk.length, WINDOW); from < chunk.length; high = Math.min(chunk.length, high + WINDOW)) {
			const cut = findCut(chunk, from, high);
			if (cut > from) {
				addPiece(chunk.subarray(from, cut));
				closeRegion();
				from = cut;
			}
			if (high === chunk.length) break;
		}
		addPiece(chunk.subarray(from));
		// A region with no place to cut (a table of tens of megabytes, a line without end) is read as it comes.
		if (open.bytes > budgetBytes) stream(Buffer.alloc(0));
	}

	return {
		push(input) {
			const chunk = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
			if (mode === 'streamed') {
				feed(chunk);
				return;
			}
			if (mode === 'start') {
				// As the streaming reader does: blank text before the first character is passed over.
				let first = 0;
				while (first < chunk.length && [0x20, 0x09, 0x0a, 0x0b, 0x0c, 0x0d].includes(chunk[first] ?? 0)) first++;
				if (first === chunk.length) return;
				const byte = chunk[first] ?? 0;
				if (byte === 0x7b || byte === 0x5b || byte >= 0x80) {
					stream(chunk);
					return;
				}
				mode = 'fast';
			}
			fast(chunk);
		},
		end() {
			if (streamed) {
				const found = [...streamed.reader.push(streamed.decoder.decode()), ...streamed.reader.end()];
				return found.at(-1) ?? streamed.last ?? last;
			}
			closeRegion();
			resolve();
			return last;
		},
		noDumpReason() {
			if (stray !== undefined) return textNoDumpReason(stray.line, stray.reason);
			return streamed ? streamed.reader.noDumpReason() : textNoDumpReason(undefined, undefined);
		},
	};
}
