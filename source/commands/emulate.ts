import {
	busyProgram,
	startVirtualBoard,
	VirtualBoardError,
	type VirtualBoardFaults,
} from '../sources/virtual-board.js';
import { RuntimeFailure, UsageError } from './errors.js';

/**
 * `heaptop emulate --pty PATH`: the emulated board behind a pseudo-terminal, for any serial tool. Runs until
 * SIGINT or SIGTERM. SIGUSR1 unplugs the port (the path vanishes) and, sent again, plugs it back.
 */

/** Flags of `heaptop emulate`. */
export type EmulateOptions = {
	ptyPath: string;
	heapBytes?: number;
	/** `--no-raw-paste`: answer as firmware before v1.14. */
	rawPaste?: boolean;
	/** `--busy`: run a program that prints and ignores input until Ctrl-C. */
	busy?: boolean;
	/** `--main FILE` contents: run like main.py before the REPL. */
	mainProgram?: string;
	faults?: VirtualBoardFaults;
	/** Where status lines go (stderr in the CLI). */
	log: (line: string) => void;
	/** Resolves when the command should stop; default: SIGINT or SIGTERM. */
	until?: Promise<void>;
};

function signalled(): Promise<void> {
	return new Promise((resolve) => {
		const stop = () => {
			process.off('SIGINT', stop);
			process.off('SIGTERM', stop);
			resolve();
		};
		process.on('SIGINT', stop);
		process.on('SIGTERM', stop);
	});
}

/** Runs the virtual board until told to stop; returns the exit code. */
export async function runEmulate(options: EmulateOptions): Promise<number> {
	if (!options.ptyPath) throw new UsageError('emulate needs --pty PATH, e.g. --pty /tmp/heaptop-board');
	const mainProgram = options.busy ? busyProgram() : options.mainProgram;
	let board: Awaited<ReturnType<typeof startVirtualBoard>>;
	try {
		board = await startVirtualBoard({
			ptyPath: options.ptyPath,
			...(options.heapBytes === undefined ? {} : { heapBytes: options.heapBytes }),
			...(options.rawPaste === undefined ? {} : { rawPaste: options.rawPaste }),
			...(mainProgram === undefined ? {} : { mainProgram }),
			...(options.faults === undefined ? {} : { faults: options.faults }),
		});
	} catch (error) {
		if (error instanceof VirtualBoardError) throw new RuntimeFailure(error.message);
		throw error;
	}
	const heapKiB = Math.round((options.heapBytes ?? 192 * 1024) / 1024);
	options.log(`virtual board on ${board.path}: ${board.version.split('; ')[1] ?? board.version}, ${heapKiB} KiB heap`);
	options.log(`connect with: heaptop --port ${board.path}   (Ctrl-C stops; kill -USR1 ${process.pid} unplugs/replugs)`);

	let plugged = true;
	const toggle = () => {
		plugged = !plugged;
		const action = plugged ? board.replug() : board.unplug();
		action.then(
			() => options.log(plugged ? 'plugged back in' : 'unplugged'),
			(error: unknown) => options.log(`could not ${plugged ? 'replug' : 'unplug'}: ${String(error)}`),
		);
	};
	process.on('SIGUSR1', toggle);
	try {
		await (options.until ?? signalled());
	} finally {
		process.off('SIGUSR1', toggle);
		await board.close();
	}
	return 0;
}
