import { linkKindOf } from '../link/open.js';
import { type BoardSource, createBoardSource } from '../sources/board.js';
import { RuntimeFailure } from './errors.js';
import { chooseBoardPort } from './ports.js';

/** A live board for a command that runs code on it, and how to let it go. */
export type BoardSession = {
	board: BoardSource;
	/** Leaves the raw REPL and closes the port. */
	close(): Promise<void>;
};

/**
 * Opens the board on `port` (a path, `auto`, or mpremote's `a0`…) for `imports` or `profile`, and waits until it
 * is at the raw prompt. Anything short of that is one line (RuntimeFailure), with the port already closed.
 * Exit safety is the session's own (source/session/exit-guard.ts): a signal or a crash from the moment the
 * port opens leaves the raw REPL first, stopping a statement of ours that still runs.
 */
export async function openBoardSession(options: {
	port: string;
	interrupt: boolean;
	command: string;
	/** WebREPL's password, for `ws://`. */
	password?: string;
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
		onNotice: (line) => process.stderr.write(`heaptop: ${line}\n`),
		...(options.password === undefined ? {} : { password: options.password }),
		...(choice.byIdPath === undefined ? {} : { byIdPath: choice.byIdPath }),
	});
	const close = () => board.close();
	const outcome = await board.start();
	if (outcome.ok) return { board, close };
	await close();
	throw new RuntimeFailure(startFailureLine(outcome.problem, options.command));
}

/** The command line that adds --interrupt, for a line that names it as the next step. */
function withInterrupt(port: string, command?: string): string {
	return `heaptop ${command === undefined ? '' : `${command} `}--port ${port} --interrupt`;
}

/** The one line for a board that could not be taken over, for the commands that print (never the TUI). */
export function startFailureLine(problem: { kind: string; message: string; where?: string }, command?: string): string {
	const port = problem.where ?? 'the board';
	if (problem.kind === 'busy') {
		if (command !== undefined) {
			return `${port} is running a program: run heaptop ${command} --port ${port} --interrupt to stop it first (or let it finish)`;
		}
		return `${port} is running a program: add --interrupt (heaptop --port ${port} --interrupt) to stop it first, or watch it with heaptop --listen --port ${port}`;
	}
	const link = linkKindOf(port);
	// The live screen tries again by itself; a command that prints has given up, so that part is not said.
	const said = problem.message.replace(/: trying again by itself(?=\)|$)/, '');
	// A reply cut, or trickling, in the middle (board.ts failedExec) is no silent line: its own message says so.
	if (problem.kind === 'not-answering' && !said.includes('in the middle of a reply')) {
		// A board still in a raw-paste that a cut-off client left (protocol.md §3.5) takes every byte but Ctrl-C
		// as more of it, and answers nothing: as silent as a loose cable, and --interrupt is what ends it.
		const stuck = `; a board left in a command by a client that was cut off answers only to Ctrl-C: ${withInterrupt(port, command)}`;
		if (link === 'serial')
			return `${port} is not answering (no byte came back): check the cable and the baud rate${stuck}`;
		if (link === 'webrepl')
			return `${port} logged in but its REPL is not answering: reset the board and try again${stuck}`;
		// A bridge accepts connections whether or not anything answers on its serial side.
		return `${port} is not answering (no byte came back): check the server's serial device and baud rate, and that the board is on${stuck}`;
	}
	if (problem.kind === 'disconnected') {
		// One run, one answer: the live screen waits for the board to come back, a printing command cannot.
		if (link === 'serial')
			return `${port} went away (unplugged, or reset onto another port): run heaptop again once it is back`;
		if (link === 'webrepl') {
			return `${port} closed the connection (board reset, Wi-Fi lost, or another WebREPL client): run heaptop again once it is back`;
		}
		return `${port} closed the connection (the server stopped, or gave the port to another client): run heaptop again once it is back`;
	}
	return said;
}
