import type { Writable } from 'node:stream';
import { failedAllocationBytes } from '../heap/memory-error.js';
import { formatRunReport } from '../output/run-report.js';
import { readUserFile } from './read-user-file.js';
import { runScript } from './run.js';

/**
 * `heaptop run SCRIPT.py`: runs the script on the emulated board, its output as it comes, then the heap as it
 * was when the script ended (or raised), printed as `inspect` prints it; after a MemoryError, whether its size
 * would fit on that heap and what is in its way. Exit 1 if the script raised.
 */
export async function runCommand(options: {
	script: string;
	heapBytes?: number;
	timeoutMs?: number;
	json: boolean;
	color: boolean;
	signal: AbortSignal;
	stdout: Writable;
	stderr: Writable;
}): Promise<number> {
	const code = await readUserFile(options.script);
	// With --json, standard output carries only the JSON; the script's own output goes to stderr.
	const programOut = options.json ? options.stderr : options.stdout;
	const result = await runScript({
		code,
		scriptName: options.script,
		signal: options.signal,
		...(options.heapBytes === undefined ? {} : { heapBytes: options.heapBytes }),
		...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
		onOutput: (text, stream) => (stream === 'stdout' ? programOut : options.stderr).write(text),
	});
	const { outcome } = result;
	if (outcome.kind === 'raised') options.stderr.write(outcome.exception.traceback);
	if (result.stoppedBy) {
		options.stderr.write(`heaptop: stopped by ${result.stoppedBy === 'timeout' ? '--timeout' : 'Ctrl-C'}\n`);
	}
	if (result.note) options.stderr.write(`heaptop: ${result.note}\n`);
	if (outcome.kind === 'killed' || !result.snapshot) {
		options.stderr.write(
			'heaptop: the script did not stop when interrupted; its thread was killed, so its heap is not available\n',
		);
		return 1;
	}
	const failedBytes = outcome.kind === 'raised' ? failedAllocationBytes(outcome.exception.traceback) : undefined;
	options.stdout.write(
		formatRunReport(result.snapshot, {
			script: options.script,
			raised: outcome.kind === 'raised',
			...(failedBytes === undefined ? {} : { failedBytes }),
			json: options.json,
			color: options.color,
		}),
	);
	return result.exitCode;
}
