import { closeSync, createReadStream, fstatSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { monotonicMs } from '../clock.js';
import { createLastDumpFinder } from '../heap/find-last-dump.js';
import { createDumpReader } from '../heap/read-dumps.js';
import { createSnapshotPrinter } from '../output/print.js';
import { createReadProgress, type ProgressStream, type ReadProgress } from '../output/read-progress.js';
import { fstat, open } from '../promised-fs.js';
import { UsageError } from './errors.js';
import { readAhead } from './read-ahead.js';
import { userFileError } from './read-user-file.js';

/** What `heaptop inspect` needs: where the dump is, how to print it, and where to. */
export type InspectOptions = {
	/** A path, or `-` for standard input. */
	input: string;
	json: boolean;
	all: boolean;
	color: boolean;
	/** `--fit SIZE`: print whether this many bytes fit, and exit 0 if so, 1 if not. */
	fitBytes?: number;
	stdout: Writable;
	/**
	 * Standard input, asked for only when the input is `-`: Node makes `process.stdin` when it is first read,
	 * and for a pipe that loads `net`, for a file `fs` streams and `fs/promises`, which a named file never needs.
	 */
	stdin: () => NodeJS.ReadableStream & { isTTY?: boolean };
	/** Where the hint for a paste goes when standard input is a terminal, and a long read's progress. */
	stderr?: ProgressStream;
	/** The clock for the progress line; `monotonicMs` unless a test gives one. */
	nowMs?: () => number;
};

/** `typed`: a paste at the terminal. */
type Input = { chunks: AsyncIterable<Buffer | string>; totalBytes?: number; typed?: boolean };

/** The input as a stream of chunks, with its size when known; a file that cannot be opened is a UsageError. */
async function openInput(options: InspectOptions): Promise<Input> {
	if (options.input === '-') {
		const stdin = options.stdin();
		if (stdin.isTTY) options.stderr?.write('heaptop: paste a dump, then Ctrl-D\n');
		const chunks = stdin as AsyncIterable<Buffer | string>;
		const totalBytes = redirectedBytes(stdin);
		const typed = stdin.isTTY === true;
		return totalBytes === undefined ? { chunks, typed } : { chunks, totalBytes, typed };
	}
	try {
		// A plain descriptor: fs reads it with less overhead per chunk than a FileHandle's stream.
		const fd = await open(options.input, 'r');
		const stat = await fstat(fd);
		if (stat.isDirectory()) {
			closeSync(fd);
			throw Object.assign(new Error('a folder'), { code: 'EISDIR' });
		}
		// A file is read ahead; a FIFO or a device gives what it has, as a stream takes it.
		if (stat.isFile()) return { chunks: readAhead(fd, 1024 * 1024), totalBytes: stat.size };
		return { chunks: createReadStream(options.input, { fd, highWaterMark: 1024 * 1024 }) };
	} catch (error) {
		throw userFileError(options.input, error);
	}
}

/** The size of a file standard input is redirected from (`inspect - < big.log`); undefined for a pipe. */
function redirectedBytes(stdin: NodeJS.ReadableStream): number | undefined {
	const fd = (stdin as { fd?: unknown }).fd;
	if (typeof fd !== 'number') return undefined;
	try {
		const stat = fstatSync(fd);
		return stat.isFile() ? stat.size : undefined;
	} catch {
		return undefined;
	}
}

/**
 * The progress line of a long read, on standard error when it is a terminal. Not with --json (its reader
 * wants the JSON alone), not for a paste, and not when --all prints to the same terminal as it reads: the dumps
 * are the progress there.
 */
function readProgress(options: InspectOptions, input: Input): ReadProgress {
	const printsAsItReads = options.all && (options.stdout as { isTTY?: boolean }).isTTY === true;
	// A paste typed at the terminal is no read to show progress of.
	return createReadProgress({
		stream: options.json || printsAsItReads || input.typed ? undefined : options.stderr,
		...(input.totalBytes === undefined ? {} : { totalBytes: input.totalBytes }),
		nowMs: options.nowMs ?? monotonicMs,
	});
}

/**
 * The most of the input handed to the reader at once with --all: what one push finds is held until it is
 * printed, so a megabyte chunk of small dumps would be thousands of snapshots in memory at a time.
 */
const ALL_SLICE_BYTES = 64 * 1024;

/** Waits until `stream` takes more, so that `--all` on a huge log never queues its output in memory. */
function written(stream: Writable, text: string): Promise<void> | undefined {
	if (text.length === 0 || stream.write(text)) return undefined;
	return new Promise((resolve) => stream.once('drain', resolve));
}

/**
 * Prints the last dump in the input (or each as it is found, with `all`) as text or JSON. The input is read
 * as a stream, a file and standard input alike, so memory stays bounded by the largest dump in it. It may be
 * a raw dump or console log, heaptop's own printed text, its JSON, a saved `.json` or a recording. Input
 * with no dump is a UsageError. With `fitBytes`, the exit status is the answer (`fitExitCode`).
 */
export async function inspectCommand(options: InspectOptions): Promise<number> {
	const input = await openInput(options);
	const progress = readProgress(options, input);
	try {
		return options.all
			? await printAll(input.chunks, options, progress)
			: await printLast(input.chunks, options, progress);
	} finally {
		progress.end();
	}
}

/** Each dump as it is found. */
async function printAll(
	input: AsyncIterable<Buffer | string>,
	options: InspectOptions,
	progress: ReadProgress,
): Promise<number> {
	const reader = createDumpReader();
	const printer = createSnapshotPrinter(options);
	const decoder = new StringDecoder('utf8');
	try {
		for await (const chunk of input) {
			const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
			progress.add(bytes.length);
			for (let at = 0; at < bytes.length; at += ALL_SLICE_BYTES) {
				const text = decoder.write(bytes.subarray(at, at + ALL_SLICE_BYTES));
				for (const snapshot of reader.push(text)) await written(options.stdout, printer.add(snapshot));
			}
		}
	} catch (error) {
		throw userFileError(options.input === '-' ? 'standard input' : options.input, error);
	}
	progress.end();
	for (const snapshot of [...reader.push(decoder.end()), ...reader.end()]) {
		await written(options.stdout, printer.add(snapshot));
	}
	const rest = printer.end();
	if (rest === undefined) {
		const name = options.input === '-' ? 'standard input' : options.input;
		throw new UsageError(`${name}: ${reader.noDumpReason()}`);
	}
	await written(options.stdout, rest);
	return printer.exitCode();
}

/** The last dump only: found without parsing the others, which is most of the time a big log takes. */
async function printLast(
	input: AsyncIterable<Buffer | string>,
	options: InspectOptions,
	progress: ReadProgress,
): Promise<number> {
	const finder = createLastDumpFinder();
	const name = options.input === '-' ? 'standard input' : options.input;
	try {
		for await (const chunk of input) {
			const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
			progress.add(bytes.length);
			finder.push(bytes);
		}
	} catch (error) {
		throw userFileError(name, error);
	}
	progress.end();
	const printer = createSnapshotPrinter(options);
	const last = finder.end();
	if (last !== undefined) printer.add(last);
	const text = printer.end();
	if (text === undefined) throw new UsageError(`${name}: ${finder.noDumpReason()}`);
	await written(options.stdout, text);
	return printer.exitCode();
}
