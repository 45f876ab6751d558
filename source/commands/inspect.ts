import type { Writable } from 'node:stream';
import { parseAllMemInfo, parseMemInfo } from '../heap/parse.js';
import { fitExitCode, formatSnapshots } from '../output/print.js';
import { UsageError } from './errors.js';
import { readUserFile } from './read-user-file.js';

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
	stdin: NodeJS.ReadableStream;
};

async function readInput(input: string, stdin: NodeJS.ReadableStream): Promise<string> {
	if (input === '-') {
		const chunks: Buffer[] = [];
		for await (const chunk of stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
		return Buffer.concat(chunks).toString('utf8');
	}
	return readUserFile(input);
}

/**
 * Prints the last dump in the input (or each, with `all`) as text or JSON. Bad input is a UsageError. With
 * `fitBytes`, the exit status is the answer (`fitExitCode`).
 */
export async function inspectCommand(options: InspectOptions): Promise<number> {
	const text = await readInput(options.input, options.stdin);
	const snapshots = parseAllMemInfo(text);
	if (snapshots.length === 0) {
		const name = options.input === '-' ? 'standard input' : options.input;
		const result = parseMemInfo(text);
		throw new UsageError(`${name}: ${result.ok ? 'no dump' : result.error.message}`);
	}
	options.stdout.write(formatSnapshots(snapshots, options));
	return fitExitCode(snapshots, options);
}
