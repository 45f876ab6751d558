import type { Writable } from 'node:stream';
import { failedAllocationBytes } from '../heap/memory-error.js';
import { formatRunReport } from '../output/run-report.js';
import { createSanitizer, sanitizeOutput } from '../protocol/sanitize.js';
import { openBoardSession } from './board-session.js';
import { RuntimeFailure, UsageError } from './errors.js';
import { readUserFile } from './read-user-file.js';

/**
 * `heaptop run SCRIPT.py --port PORT`: the user's script on their board, as `mpremote run` runs it (raw-paste,
 * its output shown as it comes, the board never reset), in the board's own `__main__`. When it raises, the heap
 * is read at once and without a collect, so the map is the heap as the failure left it; after a MemoryError
 * that names its size, heaptop says whether that size would fit there and what is in its way. Exit 1 if the
 * script raised. Ctrl-C is the session's exit guard's: it stops the script and leaves the board at `>>> `.
 */
export async function runOnBoardCommand(options: {
	script: string;
	port: string;
	/** WebREPL's password, for `ws://`. */
	password?: string;
	interrupt: boolean;
	json: boolean;
	color: boolean;
	stdout: Writable;
	stderr: Writable;
}): Promise<number> {
	const code = await readUserFile(options.script);
	if (code.trim() === '') throw new UsageError(`${options.script} is empty: there is nothing to run`);
	// Ctrl-A to Ctrl-E would end the raw-paste frame early; no Python source needs them outside a string escape.
	if ([...code].some((char) => char >= '\x01' && char <= '\x05')) {
		throw new UsageError(
			`${options.script} holds control characters (Ctrl-A to Ctrl-E) that the raw REPL cannot carry`,
		);
	}
	const { board, close } = await openBoardSession({
		port: options.port,
		interrupt: options.interrupt,
		command: 'run',
		...(options.password === undefined ? {} : { password: options.password }),
	});
	try {
		// With --json, standard output carries only the JSON; the script's own output goes to stderr.
		const programOut = options.json ? options.stderr : options.stdout;
		const sanitizer = createSanitizer();
		const result = await board.execute(code, {
			onStdout: (bytes) => {
				const text = sanitizer.push(bytes);
				if (text !== '') programOut.write(text);
			},
		});
		const rest = sanitizer.end();
		if (rest !== '') programOut.write(rest);
		if (!result.ok) throw new RuntimeFailure(execFailureLine(result.kind, board.describe()));

		const traceback = sanitizeOutput(result.exception).replaceAll('File "<stdin>"', `File "${options.script}"`);
		const raised = traceback.trim() !== '';
		if (raised) options.stderr.write(traceback.endsWith('\n') ? traceback : `${traceback}\n`);
		// At once, and without a collect: a collect would free what the failure left, and the map would no
		// longer be the heap the allocation failed on.
		const read = await board.read({ collect: false });
		if (!read.ok) {
			options.stderr.write(`heaptop: the heap could not be read after the script: ${read.problem.message}\n`);
			return 1;
		}
		if (read.reading.afterCollect) {
			options.stderr.write(
				'heaptop: the heap was too fragmented to run even the dump, so heaptop collected first: this map is after a collect, not the heap at the failure\n',
			);
		}
		const failedBytes = raised ? failedAllocationBytes(traceback) : undefined;
		options.stdout.write(
			formatRunReport(read.reading.snapshot, {
				script: options.script,
				raised,
				...(failedBytes === undefined ? {} : { failedBytes }),
				json: options.json,
				color: options.color,
			}),
		);
		return raised ? 1 : 0;
	} finally {
		await close();
	}
}

/** One line for a script whose run the board did not finish as it should. */
function execFailureLine(kind: string, where: string): string {
	switch (kind) {
		case 'soft-reboot':
			return `${where} soft-rebooted while the script ran (sys.exit(), or a watchdog): its heap was wiped, so there is no heap to show`;
		case 'friendly-prompt':
			return `${where} reset while the script ran (a hard reset): its heap was wiped, so there is no heap to show`;
		case 'gone':
			return `${where} went away while the script ran (unplugged, or reset onto another port)`;
		case 'noise':
		case 'framing':
			return `the board's answer was damaged on the way (${kind}): the script's end and its traceback cannot be trusted`;
		default:
			return `${where} stopped answering while the script ran (${kind})`;
	}
}
