import { formatBytes } from '../present/format.js';
import { maxPasswordLength } from '../protocol/webrepl.js';
import {
	busyProgram,
	startVirtualBoard,
	type VirtualBoardEndpoint,
	VirtualBoardError,
	type VirtualBoardFaults,
} from '../sources/virtual-board.js';
import { circuitPythonIdentity } from '../sources/virtual-console.js';
import { RuntimeFailure, UsageError } from './errors.js';

/**
 * `heaptop emulate --pty PATH` (or `--tcp`, `--rfc2217`, `--webrepl HOST:PORT`): the emulated board behind a
 * pseudo-terminal, for any serial tool, or on the network as ser2net or an ESP board's WebREPL serve one. Runs
 * until SIGINT or SIGTERM. SIGUSR1 unplugs the board (the path vanishes, the port stops listening) and, sent
 * again, plugs it back.
 */

/** Where to serve, as the flags say it. */
export type EmulateWhere = {
	ptyPath?: string;
	/** `--tcp HOST:PORT`: a raw byte stream. */
	tcp?: string;
	/** `--rfc2217 HOST:PORT`: telnet with RFC 2217. */
	rfc2217?: string;
	/** `--webrepl HOST:PORT`: WebREPL, with `password`. */
	webrepl?: string;
	/** `--password` or WEBREPL_PASSWORD. */
	password?: string;
};

/** Flags of `heaptop emulate`. */
export type EmulateOptions = EmulateWhere & {
	heapBytes?: number;
	/** `--no-raw-paste`: answer as firmware before v1.14. */
	rawPaste?: boolean;
	/** `--circuitpython`: play CircuitPython 9 (implies a heap that grows). */
	circuitPython?: boolean;
	/** `--no-mem-info`: a minimal MicroPython build, without `micropython.mem_info`. */
	memInfo?: boolean;
	/** `--grow`: a heap that grows in new areas, as esp32's (split-heap-auto). */
	grow?: boolean;
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

/** `HOST:PORT`, `[IPv6]:PORT` or a bare `PORT` (loopback) for `flag`; port 0 picks a free one. */
export function parseHostPort(text: string, flag: string): { host: string; port: number } {
	const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(text) ?? /^()()(\d+)$/.exec(text);
	const port = Number(match?.[3]);
	if (!match || !Number.isInteger(port) || port > 65535) {
		throw new UsageError(`${flag} takes HOST:PORT, e.g. ${flag} 127.0.0.1:2217 (port 0 picks a free one)`);
	}
	return { host: match[1] || match[2] || '127.0.0.1', port };
}

/** The one endpoint the flags name, or a usage error saying what is missing or too much. */
export function emulateEndpoint(where: EmulateWhere): VirtualBoardEndpoint {
	const given = (['ptyPath', 'tcp', 'rfc2217', 'webrepl'] as const).filter((key) => where[key] !== undefined);
	if (given.length === 0) {
		throw new UsageError(
			'emulate needs where to serve: --pty PATH, --tcp HOST:PORT, --rfc2217 HOST:PORT or --webrepl HOST:PORT',
		);
	}
	if (given.length > 1) throw new UsageError('emulate serves one board on one of --pty, --tcp, --rfc2217, --webrepl');
	if (where.password !== undefined && where.webrepl === undefined) {
		throw new UsageError('--password goes with --webrepl (the other links have no login)');
	}
	if (where.ptyPath !== undefined) {
		if (where.ptyPath === '') throw new UsageError('--pty needs a path, e.g. --pty /tmp/heaptop-board');
		return { kind: 'pty', path: where.ptyPath };
	}
	if (where.tcp !== undefined) return { kind: 'tcp', ...parseHostPort(where.tcp, '--tcp') };
	if (where.rfc2217 !== undefined) return { kind: 'rfc2217', ...parseHostPort(where.rfc2217, '--rfc2217') };
	const password = where.password ?? '';
	// The board keeps 9 characters (webrepl_setup asks for 4 to 9): a longer password could never log in.
	if (password.length < 4 || password.length > maxPasswordLength) {
		throw new UsageError(
			`--webrepl needs --password (or WEBREPL_PASSWORD) of 4 to ${maxPasswordLength} characters, as webrepl_setup asks`,
		);
	}
	return { kind: 'webrepl', ...parseHostPort(where.webrepl ?? '', '--webrepl'), password };
}

/** Runs the virtual board until told to stop; returns the exit code. */
export async function runEmulate(options: EmulateOptions): Promise<number> {
	const endpoint = emulateEndpoint(options);
	const mainProgram = options.busy ? busyProgram() : options.mainProgram;
	if (options.circuitPython && options.memInfo === false) {
		throw new UsageError('--circuitpython has no mem_info already; --no-mem-info is for a minimal MicroPython');
	}
	const flavour = options.circuitPython ? 'circuitpython' : options.memInfo === false ? 'no-mem-info' : 'micropython';
	// CircuitPython 9 starts with a small heap and grows it from the outer heap.
	const heapBytes = options.heapBytes ?? (flavour === 'circuitpython' ? 32 * 1024 : 192 * 1024);
	let board: Awaited<ReturnType<typeof startVirtualBoard>>;
	try {
		board = await startVirtualBoard({
			endpoint,
			heapBytes,
			flavour,
			...(options.grow ? { growRoomBytes: 128 * 1024 } : {}),
			...(options.rawPaste === undefined ? {} : { rawPaste: options.rawPaste }),
			...(mainProgram === undefined ? {} : { mainProgram }),
			...(options.faults === undefined ? {} : { faults: options.faults }),
		});
	} catch (error) {
		if (error instanceof VirtualBoardError) throw new RuntimeFailure(error.message);
		throw error;
	}
	const vm = board.version.split('; ')[1] ?? board.version;
	const firmware =
		flavour === 'circuitpython'
			? `Adafruit CircuitPython ${circuitPythonIdentity.version} (played by ${vm.split(' on ')[0]})`
			: flavour === 'no-mem-info'
				? `${vm}, minimal build (no micropython.mem_info)`
				: vm;
	const grows = flavour === 'circuitpython' || options.grow ? ' that grows' : '';
	// The bytes handed to the VM, worded as every size is; the GC's total, which the screen shows, is a little
	// less: the GC keeps its tables in that room.
	options.log(`virtual board on ${board.path}: ${firmware}, a ${formatBytes(heapBytes)} heap${grows}`);
	const login = endpoint.kind === 'webrepl' ? ' --password …' : '';
	options.log(
		`connect with: heaptop --port ${board.path}${login}   (Ctrl-C stops; kill -USR1 ${process.pid} unplugs/replugs)`,
	);

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
	let stoppedBy: string | undefined;
	try {
		await Promise.race([
			options.until ?? signalled(),
			board.stopped.then((why) => {
				stoppedBy = why;
			}),
		]);
	} finally {
		process.off('SIGUSR1', toggle);
		await board.close();
	}
	// A board that can answer nothing more is not served on as one that has gone quiet.
	if (stoppedBy !== undefined) throw new RuntimeFailure(`the virtual board stopped: ${stoppedBy}`);
	return 0;
}
