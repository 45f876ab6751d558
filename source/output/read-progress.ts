import { formatBytes } from '../present/format.js';
import { unguarded } from './terminal-edge.js';

/**
 * What a long read shows while it runs (`inspect` of a big log): one line on standard error, redrawn in place,
 * `heaptop: reading 412,345,678 B of 1,000,005,552 B (41 %)`, and taken away before anything is printed.
 * Only on a terminal, and only once the read has taken a second: a pipe, a log file or a quick read sees
 * nothing. Time is a parameter (`nowMs`), so that a test drives it.
 */
export type ReadProgress = {
	/** `bytes` more were read. */
	add(bytes: number): void;
	/** The read is over: the line, if one was shown, is erased. Safe to call more than once. */
	end(): void;
};

/** Where the line goes: standard error, when it is a terminal. */
export type ProgressStream = NodeJS.WritableStream & { isTTY?: boolean };

export type ReadProgressOptions = {
	stream: ProgressStream | undefined;
	/** The input's size when known (a file, or standard input redirected from one). */
	totalBytes?: number;
	nowMs: () => number;
	/** Nothing is shown until the read has taken longer than this. Default 1000. */
	afterMs?: number;
	/** The line is redrawn at most this often. Default 200. */
	everyMs?: number;
};

/** A progress line for one read; one that never draws when `stream` is no terminal. */
export function createReadProgress(options: ReadProgressOptions): ReadProgress {
	const { stream, totalBytes, nowMs } = options;
	if (stream?.isTTY !== true) return { add() {}, end() {} };
	// The edge marks `\r` and erase-line as it would a board's; this line is heaptop's own, written past it.
	const out = unguarded(stream);
	const afterMs = options.afterMs ?? 1000;
	const everyMs = options.everyMs ?? 200;
	const startMs = nowMs();
	let readBytes = 0;
	let drawnAtMs: number | undefined;
	let ended = false;
	return {
		add(bytes) {
			readBytes += bytes;
			if (ended) return;
			const now = nowMs();
			if (now - startMs <= afterMs || (drawnAtMs !== undefined && now - drawnAtMs < everyMs)) return;
			drawnAtMs = now;
			// `\r` back to the line's start, the text, then erase what a longer line before left (CSI K).
			out.write(`\r${progressText(readBytes, totalBytes)}\x1b[K`);
		},
		end() {
			if (ended) return;
			ended = true;
			if (drawnAtMs !== undefined) out.write('\r\x1b[K');
		},
	};
}

/** `heaptop: reading 412,345,678 B of 1,000,005,552 B (41 %)`, or without a size: `heaptop: reading 412,345,678 B so far`. */
export function progressText(readBytes: number, totalBytes: number | undefined): string {
	if (totalBytes === undefined || totalBytes <= 0) return `heaptop: reading ${formatBytes(readBytes)} so far`;
	const percent = Math.min(100, Math.floor((readBytes / totalBytes) * 100));
	return `heaptop: reading ${formatBytes(readBytes)} of ${formatBytes(totalBytes)} (${percent} %)`;
}
