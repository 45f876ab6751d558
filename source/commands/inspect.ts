import { closeSync, createReadStream, fstat, open } from 'node:fs';
import type { Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { promisify } from 'node:util';
import { createLastDumpFinder } from '../heap/find-last-dump.js';
import { createDumpReader } from '../heap/read-dumps.js';
import { createSnapshotPrinter } from '../output/print.js';
import { UsageError } from './errors.js';
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
	stdin: NodeJS.ReadableStream & { isTTY?: boolean };
	/** Where the hint for a paste goes when standard input is a terminal. */
	stderr?: Writable;
};

const openFile = promisify(open);
const statFile = promisify(fstat);

/** The input as a stream of chunks; a file that cannot be opened is a UsageError saying why. */
async function openInput(options: InspectOptions): Promise<AsyncIterable<Buffer | string>> {
	if (options.input === '-') {
		if (options.stdin.isTTY) options.stderr?.write('heaptop: paste a dump, then Ctrl-D\n');
		return options.stdin as AsyncIterable<Buffer | string>;
	}
	try {
		// A plain descriptor: fs reads it with less overhead per chunk than a FileHandle's stream.
		const fd = await openFile(options.input, 'r');
		if ((await statFile(fd)).isDirectory()) {
			closeSync(fd);
			throw Object.assign(new Error('a folder'), { code: 'EISDIR' });
		}
		return createReadStream(options.input, { fd, highWaterMark: 1024 * 1024 });
	} catch (error) {
		throw userFileError(options.input, error);
	}
}

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
	if (!options.all) return printLast(input, options);
	const reader = createDumpReader();
	const printer = createSnapshotPrinter(options);
	const decoder = new StringDecoder('utf8');
	try {
		for await (const chunk of input) {
			const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
			for (const snapshot of reader.push(text)) await written(options.stdout, printer.add(snapshot));
		}
	} catch (error) {
		throw userFileError(options.input === '-' ? 'standard input' : options.input, error);
	}
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
async function printLast(input: AsyncIterable<Buffer | string>, options: InspectOptions): Promise<number> {
	const finder = createLastDumpFinder();
	const name = options.input === '-' ? 'standard input' : options.input;
	try {
		for await (const chunk of input) finder.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
	} catch (error) {
		throw userFileError(name, error);
	}
	const printer = createSnapshotPrinter(options);
	const last = finder.end();
	if (last !== undefined) printer.add(last);
	const text = printer.end();
	if (text === undefined) throw new UsageError(`${name}: ${finder.noDumpReason()}`);
	await written(options.stdout, text);
	return printer.exitCode();
}
