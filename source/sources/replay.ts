import { close, createReadStream, open, read, readSync } from 'node:fs';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import { type HistoryPoint, pointOf } from '../heap/analyze.js';
import type { HeapSnapshot } from '../heap/model.js';
import { parseMemInfo } from '../heap/parse.js';
import { decodeRecordingLine, type RecordedReading } from '../recording/format.js';
import type { HeapSource, Reading, ReadOutcome, ReplayControls, SourceEvent, StartOutcome } from './source.js';

/** A recording opened for replay: a source whose replay controls are always there. */
export type ReplaySource = HeapSource & { readonly replay: ReplayControls };

/** How much of the file one read takes while loading. */
const CHUNK_BYTES = 1024 * 1024;

/** Whole readings kept: the one shown and the one before it, which the diff (`d`) compares it with. */
const CACHED_READINGS = 2;

const NEWLINE = 0x0a;

/** Unreadable lines named one by one on loading; the rest are counted in one more line. */
const LISTED_PROBLEMS = 5;

/**
 * The longest line read as a reading: a dump of an 8 MiB heap is about 600 KB, its JSON line a little more.
 * A longer line (a file of one line without end) is skipped as it streams by, never held whole.
 */
const MAX_LINE_BYTES = 16 * 1024 * 1024;

const openFile = (path: string) =>
	new Promise<number>((resolve, reject) => open(path, 'r', (error, fd) => (error ? reject(error) : resolve(fd))));

const readChunk = (fd: number, buffer: Buffer, position: number) =>
	new Promise<number>((resolve, reject) =>
		read(fd, buffer, 0, buffer.length, position, (error, bytesRead) => (error ? reject(error) : resolve(bytesRead))),
	);

const readingOf = (recorded: RecordedReading, snapshot: HeapSnapshot): Reading => ({
	snapshot,
	atMs: recorded.atMs,
	afterCollect: recorded.afterCollect,
	...(recorded.incomplete ? { incomplete: true } : {}),
});

/**
 * A recording made with `--record`, as a source. `start()` reads the file once, line by line: it reports the
 * lines that cannot be read back as problems, keeps of each reading only where its line lies in the file and
 * the figures of its history (`pointOf`), and shows the last reading, as `replay --once` prints it. The replay
 * controls then move through the rest, reading and parsing a line again when its reading is shown, so that
 * memory grows by a few numbers per reading whatever the size of the dumps. The file stays open until
 * `close()`; a recording still being appended to keeps the readings it had when it was loaded.
 */
export function createReplaySource(path: string): ReplaySource {
	const listeners = new Set<(event: SourceEvent) => void>();
	const points: HistoryPoint[] = [];
	// Where each reading's line lies in the file, in bytes, newline excluded.
	const lineStarts: number[] = [];
	const lineBytes: number[] = [];
	// The whole readings asked for last, oldest first (a Map keeps insertion order).
	const cache = new Map<number, Reading>();
	let fd: number | undefined;
	let shown: Reading | undefined;
	let started: Promise<StartOutcome> | undefined;
	let cursor = -1;
	let description = `recording ${basename(path)}`;
	const emit = (event: SourceEvent) => {
		for (const listener of listeners) listener(event);
	};
	const closeFile = () => {
		if (fd !== undefined) close(fd, () => undefined);
		fd = undefined;
	};

	/** Reads and parses the reading at `index` again from its line; undefined, with a problem, when it changed. */
	const readAgain = (index: number): Reading | undefined => {
		const start = lineStarts[index];
		const length = lineBytes[index];
		if (fd === undefined || start === undefined || length === undefined) return undefined;
		const buffer = Buffer.allocUnsafe(length);
		try {
			let done = 0;
			while (done < length) {
				const bytesRead = readSync(fd, buffer, done, length - done, start + done);
				if (bytesRead === 0) break;
				done += bytesRead;
			}
			const decoded = decodeRecordingLine(buffer.toString('utf8', 0, done), false);
			// The time recorded tells a line rewritten since loading from the one loaded.
			if (decoded.ok && decoded.reading.atMs === points[index]?.atMs) {
				const parsed = parseMemInfo(decoded.reading.text);
				if (parsed.ok) return readingOf(decoded.reading, parsed.snapshot);
			}
		} catch {
			// Reported below, as a file that changed: the file was open and readable when it was loaded.
		}
		emit({
			type: 'problem',
			message: `${path}: reading ${index + 1} cannot be read again: the file changed after it was loaded; open it again`,
		});
		return undefined;
	};

	const readingAt = (index: number): Reading | undefined => {
		const cached = cache.get(index);
		if (cached) {
			cache.delete(index);
			cache.set(index, cached);
			return cached;
		}
		const reading = readAgain(index);
		if (!reading) return undefined;
		cache.set(index, reading);
		for (const old of cache.keys()) {
			if (cache.size <= CACHED_READINGS) break;
			cache.delete(old);
		}
		return reading;
	};

	const replay: ReplayControls = {
		points: () => points,
		reading: (index) => (Number.isInteger(index) && index >= 0 && index < points.length ? readingAt(index) : undefined),
		cursor: () => cursor,
		seek(index) {
			if (points.length === 0) return -1;
			const target = Math.max(0, Math.min(points.length - 1, Math.trunc(index)));
			if (target === cursor) return cursor;
			const reading = readingAt(target);
			if (!reading) return cursor;
			cursor = target;
			shown = reading;
			emit({ type: 'reading', reading });
			return cursor;
		},
	};

	/**
	 * Reads the file chunk by chunk and hands each line to `takeLine` with its byte offset; `isLast` marks a
	 * last line with no newline after it.
	 */
	async function scanLines(
		file: number,
		takeLine: (bytes: Buffer | 'too long', start: number, isLast: boolean) => void,
	): Promise<void> {
		const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
		// The start of a line that began in an earlier chunk, copied out of it; dropped once it is too long.
		const parts: Buffer[] = [];
		let partBytes = 0;
		let tooLong = false;
		let lineStart = 0;
		let position = 0;
		for (;;) {
			const bytesRead = await readChunk(file, chunk, position);
			if (bytesRead === 0) break;
			const data = chunk.subarray(0, bytesRead);
			let from = 0;
			for (let newline = data.indexOf(NEWLINE); newline !== -1; newline = data.indexOf(NEWLINE, from)) {
				const tail = data.subarray(from, newline);
				if (tooLong || partBytes + tail.length > MAX_LINE_BYTES) takeLine('too long', lineStart, false);
				else takeLine(parts.length === 0 ? tail : Buffer.concat([...parts, tail]), lineStart, false);
				parts.length = 0;
				partBytes = 0;
				tooLong = false;
				lineStart = position + newline + 1;
				from = newline + 1;
			}
			if (from < bytesRead && !tooLong) {
				partBytes += bytesRead - from;
				if (partBytes > MAX_LINE_BYTES) {
					tooLong = true;
					parts.length = 0;
				} else parts.push(Buffer.from(data.subarray(from)));
			}
			position += bytesRead;
		}
		if (tooLong) takeLine('too long', lineStart, true);
		else if (parts.length > 0) takeLine(Buffer.concat(parts), lineStart, true);
	}

	return {
		canRead: false,
		replay,
		describe: () => description,
		subscribe(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		start() {
			started ??= load();
			return started;
		},
		async read(): Promise<ReadOutcome> {
			if (shown) return { ok: true, reading: shown };
			return {
				ok: false,
				problem: { kind: 'passive', message: `${path}: a recording is read with [ and ], not on demand` },
			};
		},
		async close() {
			listeners.clear();
			cache.clear();
			closeFile();
		},
	};

	async function load(): Promise<StartOutcome> {
		emit({ type: 'status', status: 'connecting' });
		// Lines that are not readings first, then readings without a dump, each in file order: the first few of
		// each, and how many there were, so that a long file that is no recording costs no memory per line.
		const skipped: string[] = [];
		const noDump: string[] = [];
		let skippedCount = 0;
		let noDumpCount = 0;
		const note = (list: string[], message: string) => {
			if (list.length < LISTED_PROBLEMS) list.push(message);
		};
		let lineNumber = 0;
		let decodedLines = 0;
		let newer = 0;
		let newestVersion = 0;
		try {
			fd = await openFile(path);
			await scanLines(fd, (bytes, start, isLast) => {
				lineNumber++;
				if (bytes === 'too long') {
					skippedCount++;
					note(skipped, `${path} line ${lineNumber}: longer than any reading (over ${MAX_LINE_BYTES} bytes)`);
					return;
				}
				const line = bytes.toString('utf8');
				if (line.trim().length === 0) return;
				const decoded = decodeRecordingLine(line, isLast);
				if (!decoded.ok) {
					if (decoded.newerVersion !== undefined) {
						newer++;
						newestVersion = Math.max(newestVersion, decoded.newerVersion);
					}
					skippedCount++;
					note(skipped, `${path} line ${lineNumber}: ${decoded.reason}`);
					return;
				}
				decodedLines++;
				const recorded = decoded.reading;
				const parsed = parseMemInfo(recorded.text);
				if (!parsed.ok) {
					noDumpCount++;
					note(noDump, `${path} line ${lineNumber}: a reading with no dump: ${parsed.error.message}`);
					return;
				}
				// The snapshot goes here: only its figures stay, and where to find it again.
				points.push(pointOf(parsed.snapshot, recorded.atMs, recorded.afterCollect));
				lineStarts.push(start);
				lineBytes.push(bytes.length);
				description = `recording ${basename(path)} · ${recorded.source}`;
			});
		} catch (error) {
			closeFile();
			const code = (error as NodeJS.ErrnoException).code;
			const message = `cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : code}`;
			emit({ type: 'status', status: 'error', message });
			return { ok: false, problem: { kind: 'failed', message } };
		}
		if (points.length === 0) {
			closeFile();
			// One line for a file that holds no reading at all, not one per line of it (a README has hundreds).
			const message =
				skipped.length === 0 && noDump.length === 0
					? `${path}: no readings in this recording`
					: newer > 0
						? `${path}: written by a newer heaptop (format v${newestVersion}); update heaptop to replay it`
						: decodedLines === 0
							? `${path} is no heaptop recording (made with --record): no line of it is a reading`
							: `${path}: no reading in this recording holds a dump: ${noDump[0] ?? ''}`;
			emit({ type: 'status', status: 'error', message });
			return { ok: false, problem: { kind: 'unreadable', message } };
		}
		const problems = [...skipped, ...noDump];
		const problemCount = skippedCount + noDumpCount;
		for (const message of problems.slice(0, LISTED_PROBLEMS)) emit({ type: 'problem', message });
		if (problemCount > LISTED_PROBLEMS) {
			emit({
				type: 'problem',
				message: `${path}: ${problemCount - LISTED_PROBLEMS} more lines cannot be read; the other readings replay`,
			});
		}
		emit({ type: 'status', status: 'live' });
		replay.seek(points.length - 1);
		return { ok: true };
	}
}

/** Lines a quick look reads before leaving the verdict to the full load. */
const PROBE_LINES = 1000;

/**
 * A quick look before the live screen opens a recording: the one line to print (the same one the load would
 * give) when the file cannot be read or, within its first lines, holds no reading at all and ends there, so
 * that `heaptop replay README.md` is one line and exit 2 rather than a screen with an error on it. Undefined
 * when the file looks like a recording, or is too long to tell quickly (the load then says what it finds).
 */
export async function recordingProblem(path: string): Promise<string | undefined> {
	let lines = 0;
	let newest = 0;
	try {
		const input = createReadStream(path, { encoding: 'utf8', highWaterMark: 64 * 1024 });
		const reader = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
		for await (const line of reader) {
			if (line.trim().length === 0) continue;
			const decoded = decodeRecordingLine(line, false);
			if (decoded.ok) {
				input.destroy();
				return undefined;
			}
			if (decoded.newerVersion !== undefined) newest = Math.max(newest, decoded.newerVersion);
			if (++lines >= PROBE_LINES) {
				input.destroy();
				return undefined;
			}
		}
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		return `cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : code}`;
	}
	if (newest > 0) return `${path}: written by a newer heaptop (format v${newest}); update heaptop to replay it`;
	return lines === 0
		? `${path}: no readings in this recording`
		: `${path} is no heaptop recording (made with --record): no line of it is a reading`;
}
