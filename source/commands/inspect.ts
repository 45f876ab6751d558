import { open } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
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

/** The input as a stream of chunks; a file that cannot be opened is a UsageError saying why. */
async function openInput(options: InspectOptions): Promise<AsyncIterable<Buffer | string>> {
	if (options.input === '-') {
		if (options.stdin.isTTY) options.stderr?.write('heaptop: paste a dump, then Ctrl-D\n');
		return options.stdin as AsyncIterable<Buffer | string>;
	}
	try {
		const file = await open(options.input, 'r');
		const stat = await file.stat();
		if (stat.isDirectory()) {
			await file.close();
			throw Object.assign(new Error('a folder'), { code: 'EISDIR' });
		}
		return file.createReadStream({ highWaterMark: 1024 * 1024 });
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
