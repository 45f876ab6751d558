#!/usr/bin/env node
import { internalErrorText, isUserError, RuntimeFailure, UsageError } from './source/commands/errors.js';
import { parseCommandLine } from './source/commands/flags.js';
import type { MeasureOn } from './source/commands/measure.js';
import { asciiOutput, guardOutput } from './source/output/terminal-edge.js';
import { readFile } from './source/promised-fs.js';
import type { HeapSource, Reading } from './source/sources/source.js';
import { localeIsUtf8 } from './source/ui/terminal/terminal.js';

// Every byte heaptop writes passes the one sanitising rule; only the full screen writes past it (run-tui).
guardOutput(process.stdout);
guardOutput(process.stderr);

const line = parseCommandLine(process.argv.slice(2));
// Outside a UTF-8 locale, and with --ascii, every printed byte is ASCII (the live screen draws its own).
if (!localeIsUtf8() || (line.kind === 'run' ? line.flags.ascii : process.argv.includes('--ascii'))) {
	asciiOutput(process.stdout);
	asciiOutput(process.stderr);
}
if (line.kind === 'help' || line.kind === 'version') {
	const { packageFacts } = await import('./source/commands/version.js');
	const facts = packageFacts(import.meta.url);
	if (line.kind === 'version') process.stdout.write(`${facts.version}\n`);
	else process.stdout.write(`${(await import('./source/commands/help.js')).helpText(facts.description)}\n`);
	process.exit(0);
}
if (line.kind === 'error') {
	process.stderr.write(`heaptop: ${line.message}\n`);
	process.exit(2);
}
const { flags, command, args, context } = line;

/** Colour only for a terminal, and never when the user said no (https://no-color.org: present and non-empty). */
function wantsColor(stream: NodeJS.WriteStream): boolean {
	return flags.color && stream.isTTY === true && !process.env.NO_COLOR;
}

const heapBytes = flags.heap;

function intervalMs(fallbackMs: number): number {
	return flags.interval ?? fallbackMs;
}

/** The WebREPL password for a ws:// board: `--password`, else WEBREPL_PASSWORD (out of shell history and `ps`). */
/**
 * `--password`, else WEBREPL_PASSWORD, else for a `ws://` port on a terminal a prompt that does not echo.
 * Without a terminal the link says in one line how to give it.
 */
async function webreplPassword(port: string): Promise<string | undefined> {
	const given = flags.password ?? process.env.WEBREPL_PASSWORD;
	if (given !== undefined || !/^wss?:\/\//i.test(port)) return given;
	const { askPassword, canPrompt } = await import('./source/commands/ask-password.js');
	if (!canPrompt(process.stdin, process.stderr)) return undefined;
	return askPassword(`WebREPL password for ${port}: `, { input: process.stdin, output: process.stderr });
}

/**
 * Where `imports` and `profile` measure: the board on `--port` when given (never the emulator in its place),
 * else an emulated board with `--heap` (a Pico's heap by default).
 */
async function measureOn(): Promise<MeasureOn> {
	if (flags.port !== undefined) {
		const password = await webreplPassword(flags.port);
		return { port: flags.port, interrupt: flags.interrupt, ...(password === undefined ? {} : { password }) };
	}
	const { picoHeapBytes } = await import('./source/sources/heap-size.js');
	return { heapBytes: heapBytes ?? picoHeapBytes };
}

/** The emulated board running a scenario (the first, unless named). */
async function demoSource(scenario: string | undefined): Promise<HeapSource> {
	const { createEmulatorSource, EmulatorError } = await import('./source/sources/emulator.js');
	const heap = heapBytes;
	try {
		return createEmulatorSource({
			...(heap === undefined ? {} : { heapBytes: heap }),
			...(scenario === undefined ? {} : { scenario }),
		});
	} catch (error) {
		if (error instanceof EmulatorError) throw new UsageError(error.message);
		throw error;
	}
}

/**
 * How a live source is shown: the TUI on a terminal; otherwise one snapshot (`--once`, or any output that is
 * not a terminal), or a JSON stream (`--json --interval`), because Ink cannot run without a terminal on both ends.
 */
type LiveMode = 'tui' | 'once' | 'stream';

async function liveMode(): Promise<LiveMode> {
	// A listener's stream has the program's pace, not an interval: each dump is a line as it comes.
	if (flags.json && (flags.interval !== undefined || context === 'listening') && !flags.once) return 'stream';
	if (flags.once || flags.json) return 'once';
	return (await canShowScreen()) ? 'tui' : 'once';
}

/**
 * Whether the live screen can run: a terminal on both ends. stdout is asked first, as the start does: Node
 * makes `process.stdin` when it is first read, which for a file loads fs streams and fs/promises, for a pipe
 * `net`, and a run that only prints needs neither.
 */
async function canShowScreen(): Promise<boolean> {
	if (process.stdout.isTTY !== true) return false;
	const { canRunTui } = await import('./source/ui/terminal/terminal.js');
	return canRunTui(process.stdin, process.stdout);
}

/**
 * The board on `--port`, or the one board plugged in. When there is none, the live screen shows the demo and
 * says why in its status line; a snapshot or a stream fails instead (exit 1), so that a script never logs the
 * emulator's figures as a board's. A board whose port will not open is one line and exit 1, before any screen.
 */
async function boardOrDemo(mode: LiveMode): Promise<{ source: HeapSource; intervalMs: number; notice?: string }> {
	const { chooseBoardPort } = await import('./source/commands/ports.js');
	const choice = await chooseBoardPort(flags.port);
	if (choice.kind === 'demo') {
		if (mode !== 'tui') throw new RuntimeFailure(`${choice.missing}; --demo for the emulated board`);
		return { source: await demoSource(undefined), intervalMs: 1000, notice: choice.reason };
	}
	const { createBoardSource } = await import('./source/sources/board.js');
	const password = await webreplPassword(choice.path);
	const board = createBoardSource({
		port: choice.path,
		interrupt: flags.interrupt,
		...(password === undefined ? {} : { password }),
		...(choice.byIdPath === undefined ? {} : { byIdPath: choice.byIdPath }),
		// The screen shows a link's notice in its status line; a snapshot or a stream says it on stderr, and asks
		// what the board is in the same exchange as its first dump.
		...(mode === 'tui'
			? {}
			: {
					onNotice: (line: string) => process.stderr.write(`heaptop: ${line}\n`),
					identify: 'with-first-snapshot' as const,
				}),
	});
	// Only the port is opened here (fast, and guarded against signals from then on): the slow part, getting
	// the board to the raw prompt, happens under the screen, which shows "connecting" at once.
	const opened = await board.open();
	if (!opened.ok) throw new RuntimeFailure(opened.problem.message);
	return { source: board, intervalMs: 0 };
}

/** `--listen`: the port's console, read and never written. */
async function listenSource(): Promise<HeapSource> {
	const { chooseBoardPort } = await import('./source/commands/ports.js');
	const choice = await chooseBoardPort(flags.port);
	if (choice.kind === 'demo') throw new RuntimeFailure(`--listen needs a board: ${choice.missing}`);
	const { createListenSource } = await import('./source/sources/listen.js');
	const password = await webreplPassword(choice.path);
	return createListenSource({ port: choice.path, ...(password === undefined ? {} : { password }) });
}

/**
 * Starts loading what `show` will need while the source connects, so that loading and the board's round trips
 * overlap instead of adding up. `show`'s own import() then finds the module loaded; a failure to load is
 * reported there, not here.
 */
function preloadShow(mode: LiveMode): void {
	const loading = mode === 'tui' ? import('./source/ui/run-tui.js') : import('./source/commands/once.js');
	loading.catch(() => undefined);
}

/**
 * Shows a live source as `mode` says; with `--record`, a failed write (a full disk) makes the exit code 1. Its
 * line goes to stderr at once, or, under the live screen, once the screen is gone, where it can be read.
 */
async function show(mode: LiveMode, source: HeapSource, defaultIntervalMs: number, notice?: string): Promise<number> {
	let stopRecording: (() => void) | undefined;
	let record: ((reading: Reading) => void) | undefined;
	let recordFailure: string | undefined;
	if (flags.record !== undefined) {
		const { createRecorder, recordReadings } = await import('./source/recording/recorder.js');
		const onProblem = (message: string) => {
			recordFailure = message;
			if (mode !== 'tui') process.stderr.write(`heaptop: ${message}\n`);
		};
		// The screen records each reading it is given; a printing command what it prints, line for line.
		if (mode === 'tui') {
			stopRecording = recordReadings(source, flags.record, onProblem);
		} else {
			const recorder = createRecorder(source.describe(), flags.record, onProblem);
			record = (reading) => recorder.write(reading);
			stopRecording = () => recorder.stop();
		}
	}
	try {
		const code = await showAs(mode, source, defaultIntervalMs, notice, record);
		if (recordFailure === undefined) return code;
		if (mode === 'tui') process.stderr.write(`heaptop: ${recordFailure}\n`);
		return 1;
	} finally {
		stopRecording?.();
	}
}

async function showAs(
	mode: LiveMode,
	source: HeapSource,
	defaultIntervalMs: number,
	notice?: string,
	record?: (reading: Reading) => void,
): Promise<number> {
	const interval = intervalMs(defaultIntervalMs);
	if (mode === 'stream') {
		const { streamJsonCommand } = await import('./source/commands/once.js');
		const { setTimeout: sleep } = await import('node:timers/promises');
		const stop = new AbortController();
		const abort = () => stop.abort();
		process.once('SIGINT', abort);
		process.once('SIGTERM', abort);
		return await streamJsonCommand(source, {
			intervalMs: interval,
			...(flags.count === undefined ? {} : { count: flags.count }),
			collect: flags.collect,
			...(flags.fit === undefined ? {} : { fitBytes: flags.fit }),
			stdout: process.stdout,
			signal: stop.signal,
			...(flags.timeout === undefined ? {} : { waitMs: flags.timeout }),
			sleep: (ms, signal) => sleep(ms, undefined, { signal }).catch(() => undefined),
			...(record ? { record } : {}),
		});
	}
	if (mode === 'once') {
		const { onceCommand } = await import('./source/commands/once.js');
		return await onceCommand(source, {
			json: flags.json,
			color: wantsColor(process.stdout),
			collect: flags.collect,
			...(flags.fit === undefined ? {} : { fitBytes: flags.fit }),
			stdout: process.stdout,
			...(flags.timeout === undefined ? {} : { waitMs: flags.timeout }),
			...(record ? { record } : {}),
		});
	}
	const { runTui } = await import('./source/ui/run-tui.js');
	return await runTui(source, {
		color: wantsColor(process.stdout),
		ascii: flags.ascii,
		intervalMs: interval,
		...(notice === undefined ? {} : { notice }),
	});
}

async function main(): Promise<number> {
	// The parser has checked each command's words: the first is there when the command needs one.
	const [first = ''] = args;
	switch (command) {
		case 'inspect': {
			const input = first;
			const { inspectCommand } = await import('./source/commands/inspect.js');
			return inspectCommand({
				input,
				json: flags.json,
				all: flags.all,
				color: wantsColor(process.stdout),
				...(flags.fit === undefined ? {} : { fitBytes: flags.fit }),
				stdout: process.stdout,
				stdin: () => process.stdin,
				stderr: process.stderr,
			});
		}
		case 'replay': {
			const path = first;
			if (flags.once || flags.json || flags.all || flags.fit !== undefined || !(await canShowScreen())) {
				const { replayOnceCommand } = await import('./source/commands/replay.js');
				return replayOnceCommand({
					path,
					json: flags.json,
					all: flags.all,
					color: wantsColor(process.stdout),
					...(flags.fit === undefined ? {} : { fitBytes: flags.fit }),
					stdout: process.stdout,
					stderr: process.stderr,
				});
			}
			const { createReplaySource, recordingProblem } = await import('./source/sources/replay.js');
			// A file that is no recording is one line and exit 2, not a screen with an error on it.
			const problem = await recordingProblem(path);
			if (problem !== undefined) throw new UsageError(problem);
			const { runTui } = await import('./source/ui/run-tui.js');
			return runTui(createReplaySource(path), { color: wantsColor(process.stdout), ascii: flags.ascii, intervalMs: 0 });
		}
		case 'run': {
			const script = first;
			if (flags.port !== undefined) {
				const { runOnBoardCommand } = await import('./source/commands/run-board.js');
				const password = await webreplPassword(flags.port);
				return runOnBoardCommand({
					script,
					port: flags.port,
					...(password === undefined ? {} : { password }),
					interrupt: flags.interrupt,
					json: flags.json,
					color: wantsColor(process.stdout),
					stdout: process.stdout,
					stderr: process.stderr,
				});
			}
			const timeoutMs = flags.timeout;
			const { runCommand } = await import('./source/commands/run-command.js');
			const stop = new AbortController();
			process.once('SIGINT', () => stop.abort());
			const heap = heapBytes;
			return runCommand({
				script,
				...(heap === undefined ? {} : { heapBytes: heap }),
				...(timeoutMs === undefined ? {} : { timeoutMs }),
				json: flags.json,
				color: wantsColor(process.stdout),
				signal: stop.signal,
				stdout: process.stdout,
				stderr: process.stderr,
			});
		}
		case 'ports': {
			const { runPorts } = await import('./source/commands/ports.js');
			return runPorts({ json: flags.json, print: (line) => process.stdout.write(`${line}\n`) });
		}
		case 'listen': {
			const { listenSnippet } = await import('./source/sources/listen.js');
			process.stdout.write(`${listenSnippet(intervalMs(5000) / 1000)}\n`);
			return 0;
		}
		case 'imports': {
			const { importsCommand } = await import('./source/commands/measure.js');
			return importsCommand({
				modules: args,
				on: await measureOn(),
				...(flags.path === undefined ? {} : { path: flags.path }),
				fresh: flags.fresh,
				json: flags.json,
				stdout: process.stdout,
				stderr: process.stderr,
			});
		}
		case 'profile': {
			const script = first;
			const { profileCommand } = await import('./source/commands/measure.js');
			return profileCommand({
				script,
				on: await measureOn(),
				json: flags.json,
				stdout: process.stdout,
				stderr: process.stderr,
			});
		}
		case 'emulate': {
			const { checkPtyPath } = await import('./source/commands/output-paths.js');
			if (flags.pty !== undefined) checkPtyPath(flags.pty);
			const { runEmulate } = await import('./source/commands/emulate.js');
			const heap = heapBytes;
			// WEBREPL_PASSWORD keeps the password out of shell history and `ps`; it is read only for --webrepl.
			const password = flags.webrepl === undefined ? flags.password : (flags.password ?? process.env.WEBREPL_PASSWORD);
			const faults = {
				...(flags.paceBaud === undefined ? {} : { paceBaud: flags.paceBaud }),
				...(flags.cutAfter === undefined ? {} : { cutAfterBytes: flags.cutAfter }),
				...(flags.cutFor === undefined ? {} : { cutForMs: flags.cutFor }),
				...(flags.garbageAt === undefined ? {} : { garbageAtBytes: flags.garbageAt }),
			};
			let mainProgram: string | undefined;
			if (flags.main !== undefined) {
				mainProgram = await readFile(flags.main, 'utf8').catch(() => {
					throw new UsageError(`cannot read --main ${flags.main}`);
				});
			}
			return runEmulate({
				...(flags.pty === undefined ? {} : { ptyPath: flags.pty }),
				...(flags.tcp === undefined ? {} : { tcp: flags.tcp }),
				...(flags.rfc2217 === undefined ? {} : { rfc2217: flags.rfc2217 }),
				...(flags.webrepl === undefined ? {} : { webrepl: flags.webrepl }),
				...(password === undefined ? {} : { password }),
				...(heap === undefined ? {} : { heapBytes: heap }),
				rawPaste: flags.rawPaste,
				circuitPython: flags.circuitpython,
				memInfo: flags.memInfo,
				grow: flags.grow,
				busy: flags.busy,
				...(mainProgram === undefined ? {} : { mainProgram }),
				faults,
				log: (line) => process.stderr.write(`${line}\n`),
			});
		}
		case undefined: {
			if (flags.list) {
				const { listScenarios } = await import('./source/sources/emulator.js');
				for (const scenario of listScenarios()) {
					process.stdout.write(`${scenario.name.padEnd(16)} ${scenario.title}\n`);
				}
				return 0;
			}
			if (flags.record !== undefined) {
				const { checkRecordFile } = await import('./source/commands/output-paths.js');
				checkRecordFile(flags.record);
			}
			const mode = await liveMode();
			preloadShow(mode);
			if (context === 'demo') return show(mode, await demoSource(args[0]), 1000);
			if (context === 'listening') return show(mode, await listenSource(), 0);
			const { source, intervalMs: defaultMs, notice } = await boardOrDemo(mode);
			return show(mode, source, defaultMs, notice);
		}
	}
}

// A reader that closes the pipe early (`| head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
	if (error.code === 'EPIPE') process.exit(0);
});

main().then(
	(code) => {
		process.exitCode = code;
	},
	(error: unknown) => {
		if (isUserError(error)) {
			process.stderr.write(`heaptop: ${error.message}\n`);
			process.exitCode = error.exitCode;
			return;
		}
		process.stderr.write(internalErrorText(error));
		process.exitCode = 1;
	},
);
