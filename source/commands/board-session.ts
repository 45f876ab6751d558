import { constants } from 'node:os';
import { type BoardSource, createBoardSource } from '../sources/board.js';
import { RuntimeFailure } from './errors.js';
import { chooseBoardPort } from './ports.js';

/** A live board for a command that runs code on it, and how to let it go. */
export type BoardSession = {
	board: BoardSource;
	/** Leaves the raw REPL, closes the port and removes the signal handlers. */
	close(): Promise<void>;
};

/** The signals that end a command early; each exits as the shell expects, with 128 plus its number. */
const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Opens the board on `port` (a path, `auto`, or mpremote's `a0`…) for `imports` or `profile`, and waits until it
 * is at the raw prompt. Anything short of that is one line (RuntimeFailure), with the port already closed.
 * Until `close`, a signal or exit leaves the raw REPL first (stopping a statement of ours that still runs).
 */
export async function openBoardSession(options: {
	port: string;
	interrupt: boolean;
	command: string;
}): Promise<BoardSession> {
	const choice = await chooseBoardPort(options.port);
	if (choice.kind === 'demo') {
		throw new RuntimeFailure(
			`${options.command} --port ${options.port}: ${choice.missing}; without --port, ${options.command} uses the emulated board`,
		);
	}
	const board = createBoardSource({
		port: choice.path,
		interrupt: options.interrupt,
		...(choice.byIdPath === undefined ? {} : { byIdPath: choice.byIdPath }),
	});
	let statusMessage: string | undefined;
	const unsubscribe = board.subscribe((event) => {
		if (event.type === 'status') statusMessage = event.message;
	});
	const leave = () => board.leaveSync();
	const onSignal = (signal: NodeJS.Signals) => {
		board.leaveSync();
		process.exit(128 + constants.signals[signal]);
	};
	process.on('exit', leave);
	for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
	const close = async () => {
		unsubscribe();
		await board.close();
		process.off('exit', leave);
		for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
	};

	await board.start();
	if (board.status === 'live') return { board, close };
	await close();
	if (board.failure) throw new RuntimeFailure(board.failure.message);
	if (board.status === 'busy') {
		throw new RuntimeFailure(
			`${choice.path} is running a program: add --interrupt to stop it first (or let it finish)`,
		);
	}
	throw new RuntimeFailure(statusMessage ?? `${choice.path} did not get to the raw REPL`);
}
