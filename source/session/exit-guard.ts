import { constants } from 'node:os';

/**
 * Exit safety for every board session, whatever the command or mode: from the moment a session registers
 * (before its port opens) until it closes, SIGINT, SIGTERM, SIGHUP, SIGQUIT, an uncaught exception and an
 * unhandled rejection each take the board out of the raw REPL (Ctrl-C first if our own command runs, then
 * Ctrl-B) before the process ends, and the terminal is put back. A plain `process.exit` elsewhere still gets
 * the synchronous leave from the `exit` event. The handlers exist only while a session does.
 */

/** What a session gives the guard. */
export type GuardedSession = {
	/** Leaves the raw REPL as well as it can; the guard waits for it, but not for long. */
	leave(): Promise<void>;
	/** The same, synchronously, for the `exit` event, when nothing can be awaited. */
	leaveSync(): void;
};

const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'];
/** The longest an ending process waits for boards to leave the raw REPL. */
const leaveLimitMs = 1500;

const sessions = new Set<GuardedSession>();
const restorers = new Set<() => void>();
let installed = false;
let ending = false;

function restoreAll(): void {
	for (const restore of [...restorers]) {
		try {
			restore();
		} catch {
			// A terminal that is gone needs no restoring.
		}
	}
}

function leaveAllSync(): void {
	for (const session of [...sessions]) {
		try {
			session.leaveSync();
		} catch {
			// The port is gone: nothing to leave.
		}
	}
}

async function end(code: number, failure?: unknown): Promise<void> {
	if (ending) {
		// A second signal while leaving: the user insists. Leave synchronously and go now.
		leaveAllSync();
		restoreAll();
		process.exit(code);
	}
	ending = true;
	restoreAll();
	let timer: NodeJS.Timeout | undefined;
	await Promise.race([
		Promise.allSettled([...sessions].map((session) => session.leave())),
		new Promise<void>((resolve) => {
			timer = setTimeout(resolve, leaveLimitMs);
		}),
	]);
	clearTimeout(timer);
	leaveAllSync();
	if (failure !== undefined) {
		const text = failure instanceof Error ? (failure.stack ?? failure.message) : String(failure);
		process.stderr.write(`heaptop: internal error (the board was left at its friendly prompt): ${text}\n`);
	}
	process.exit(code);
}

const onSignal = (signal: NodeJS.Signals) => {
	// The shell's convention: 128 plus the signal's number.
	void end(128 + constants.signals[signal]);
};
const onCrash = (error: unknown) => {
	void end(1, error);
};
const onExit = () => {
	leaveAllSync();
};

function install(): void {
	if (installed) return;
	installed = true;
	for (const signal of signals) process.on(signal, onSignal);
	process.on('uncaughtException', onCrash);
	process.on('unhandledRejection', onCrash);
	process.on('exit', onExit);
}

function uninstall(): void {
	if (!installed || sessions.size > 0) return;
	installed = false;
	for (const signal of signals) process.off(signal, onSignal);
	process.off('uncaughtException', onCrash);
	process.off('unhandledRejection', onCrash);
	process.off('exit', onExit);
}

/** Guards a session until the returned function is called. */
export function guardSession(session: GuardedSession): () => void {
	sessions.add(session);
	install();
	return () => {
		sessions.delete(session);
		uninstall();
	};
}

/**
 * Something to put back before an ending process writes its last words (the terminal's normal screen), run
 * before the boards are left so that the user's shell is back at once. Returns the unregister function.
 */
export function onEmergencyRestore(restore: () => void): () => void {
	restorers.add(restore);
	return () => restorers.delete(restore);
}

/** True while some board session is guarded: the guard, not the caller, owns the signals then. */
export function isGuarding(): boolean {
	return sessions.size > 0;
}
