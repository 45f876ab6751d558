#!/usr/bin/env node
import process from 'node:process';
import meow from 'meow';
import { isUserError, RuntimeFailure, UsageError } from './source/commands/errors.js';
import type { MeasureOn } from './source/commands/measure.js';
import { parseDuration } from './source/commands/parse-duration.js';
import type { HeapSource } from './source/sources/source.js';

const cli = meow(
	`
  Usage
    $ heaptop                          the board, if exactly one is plugged in; else the demo, saying why
    $ heaptop --port PORT              that board (a path, auto, or mpremote's a0, u0, c0)
    $ heaptop --listen --port PORT     watch a running program's own dumps; never writes to the board
    $ heaptop --demo [SCENARIO]        the emulated board: the real MicroPython VM, running a scenario
    $ heaptop ports                    serial ports, and which look like MicroPython boards
    $ heaptop listen --snippet         the lines to add to your program for --listen
    $ heaptop inspect FILE|-           a saved or pasted mem_info(1) dump ("-" reads standard input)
    $ heaptop run SCRIPT.py            run a script on the emulated board, then show its heap
    $ heaptop replay FILE              a recording made with --record: [ ] step, space plays
    $ heaptop imports MOD...           what each import keeps on the heap (emulated, or --port PORT)
    $ heaptop profile SCRIPT.py        what each top-level statement keeps, and the garbage it leaves
                                       (emulated, or --port PORT: runs in the board's namespace)
    $ heaptop emulate --pty PATH       the emulated board behind a pseudo-terminal, for any serial tool
                                       (--busy, --no-raw-paste, --main FILE, --pace-baud N,
                                        --cut-after N --cut-for MS, --garbage-at N: faults for testing)

  Options
    --demo --list      list the demo scenarios
    --interrupt        stop a program running on the board without asking (else: key i)
    --heap SIZE        emulated heap size (default 192k, a Raspberry Pi Pico's)
    --once             print one snapshot and exit, instead of the live screen
    --json             print JSON (schema in the README); with --interval, one object per line
    --collect          with --once or --json: gc.collect() before each snapshot
    --timeout TIME     with run: stop the script after this long (Ctrl-C stops it too)
    --interval TIME    auto-refresh (1s, 500ms; 0 for off); with --json, the time between lines
    --count N          with --json --interval: stop after N lines
    --record FILE      append each snapshot to FILE as one JSON line (replay it with heaptop replay)
    --all              with inspect or replay --once: every snapshot, not just the last
    --path DIR         with imports: make the .py files in DIR importable
    --fresh            with imports: a fresh emulated board for each module; on a board
                       (--port), a soft reset before each import: the only time heaptop resets
    --no-color         no colour (also when NO_COLOR is set, or the output is not a terminal)
    --ascii            no box-drawing or block characters

  Keys in the live screen
    g collect and refresh · r or space refresh · p pause · +/- interval · d diff · z zoom
    arrows, PgUp/PgDn, Home/End scroll · l legend · o board output · s save · ? help · q quit
    in the demo: n next step · 1-9 pick a scenario
    in a replay: [ ] step · Home/End first/last · space play/pause · +/- speed

  Examples
    $ heaptop --demo fragmentation
    $ heaptop --demo --once --json | jq .metrics.fragmentation
    $ mpremote exec "import micropython; micropython.mem_info(1)" | heaptop inspect -
    $ heaptop imports json --path ./lib
    $ heaptop run main.py --heap 64k --timeout 10s
    $ heaptop profile main.py --heap 64k
    $ heaptop imports ssd1306 framebuf --port a0 --fresh

  Exit codes: 0 fine, 1 runtime failure, 2 bad usage or bad input.
`,
	{
		importMeta: import.meta,
		flags: {
			demo: { type: 'boolean', default: false },
			port: { type: 'string' },
			listen: { type: 'boolean', default: false },
			interrupt: { type: 'boolean', default: false },
			snippet: { type: 'boolean', default: false },
			busy: { type: 'boolean', default: false },
			rawPaste: { type: 'boolean', default: true },
			main: { type: 'string' },
			paceBaud: { type: 'number' },
			cutAfter: { type: 'number' },
			cutFor: { type: 'number' },
			garbageAt: { type: 'number' },
			list: { type: 'boolean', default: false },
			heap: { type: 'string' },
			once: { type: 'boolean', default: false },
			json: { type: 'boolean', default: false },
			collect: { type: 'boolean', default: false },
			interval: { type: 'string' },
			timeout: { type: 'string' },
			count: { type: 'number' },
			record: { type: 'string' },
			all: { type: 'boolean', default: false },
			path: { type: 'string' },
			fresh: { type: 'boolean', default: false },
			pty: { type: 'string' },
			color: { type: 'boolean', default: true },
			ascii: { type: 'boolean', default: false },
		},
	},
);

const { flags } = cli;

/** Colour only for a terminal, and never when the user said no (https://no-color.org: present and non-empty). */
function wantsColor(stream: NodeJS.WriteStream): boolean {
	return flags.color && stream.isTTY === true && !process.env.NO_COLOR;
}

async function heapBytes(): Promise<number | undefined> {
	if (flags.heap === undefined) return undefined;
	const { parseHeapSize } = await import('./source/sources/heap-size.js');
	const size = parseHeapSize(flags.heap);
	if (!size.ok) throw new UsageError(size.message);
	return size.bytes;
}

/** A duration flag in ms, or a UsageError naming the flag. */
function durationMs(value: string, flag: string): number {
	const parsed = parseDuration(value, flag);
	if (!parsed.ok) throw new UsageError(parsed.message);
	return parsed.ms;
}

function intervalMs(fallbackMs: number): number {
	return flags.interval === undefined ? fallbackMs : durationMs(flags.interval, '--interval');
}

/**
 * Where `imports` and `profile` measure: the board on `--port` when given (never the emulator in its place),
 * else an emulated board with `--heap` (a Pico's heap by default).
 */
async function measureOn(): Promise<MeasureOn> {
	if (flags.port !== undefined) {
		if (flags.heap !== undefined) throw new UsageError("--heap sizes the emulated board: a board's heap is its own");
		return { port: flags.port, interrupt: flags.interrupt };
	}
	const { picoHeapBytes } = await import('./source/sources/heap-size.js');
	return { heapBytes: (await heapBytes()) ?? picoHeapBytes };
}

/** The emulated board running a scenario (the first, unless named). */
async function demoSource(scenario: string | undefined): Promise<HeapSource> {
	const { createEmulatorSource, EmulatorError } = await import('./source/sources/emulator.js');
	const heap = await heapBytes();
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
 * The board on `--port`, or the one board plugged in; when there is none, the demo and the reason, which `show`
 * puts in the status line (or on stderr without the TUI).
 * A board whose port will not open is one line and exit 1, before any screen is drawn.
 */
async function boardOrDemo(): Promise<{ source: HeapSource; intervalMs: number; notice?: string }> {
	const { chooseBoardPort } = await import('./source/commands/ports.js');
	const choice = await chooseBoardPort(flags.port);
	if (choice.kind === 'demo') {
		return { source: await demoSource(undefined), intervalMs: 1000, notice: choice.reason };
	}
	const { createBoardSource } = await import('./source/sources/board.js');
	const { withSingleStart } = await import('./source/sources/start-once.js');
	const board = withSingleStart(
		createBoardSource({
			port: choice.path,
			interrupt: flags.interrupt,
			...(choice.byIdPath === undefined ? {} : { byIdPath: choice.byIdPath }),
		}),
	);
	// Whatever way heaptop ends, the board is not left in the raw REPL.
	process.on('exit', () => board.leaveSync());
	await board.start();
	if (board.failure) throw new RuntimeFailure(board.failure.message);
	return { source: board, intervalMs: 0 };
}

/** `--listen`: the port's console, read and never written. */
async function listenSource(): Promise<HeapSource> {
	const { chooseBoardPort } = await import('./source/commands/ports.js');
	const choice = await chooseBoardPort(flags.port);
	if (choice.kind === 'demo') throw new UsageError(`--listen needs a board: ${choice.reason}`);
	const { createListenSource } = await import('./source/sources/listen.js');
	return createListenSource({ port: choice.path });
}

/**
 * Shows a live source: the TUI on a terminal; otherwise one snapshot (`--once`), or a JSON stream
 * (`--json --interval`), because Ink cannot run without a terminal on both ends.
 */
async function show(source: HeapSource, defaultIntervalMs: number, notice?: string): Promise<number> {
	let stopRecording: (() => void) | undefined;
	if (flags.record !== undefined) {
		const { recordReadings } = await import('./source/recording/recorder.js');
		stopRecording = recordReadings(source, flags.record, (message) => process.stderr.write(`heaptop: ${message}\n`));
	}
	try {
		const interval = intervalMs(defaultIntervalMs);
		if (notice !== undefined && flags.json && flags.interval !== undefined && !flags.once) {
			process.stderr.write(`heaptop: ${notice}\n`);
		}
		if (flags.json && flags.interval !== undefined && !flags.once) {
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
				stdout: process.stdout,
				signal: stop.signal,
				sleep: (ms, signal) => sleep(ms, undefined, { signal }).catch(() => undefined),
			});
		}
		const { canRunTui } = await import('./source/ui/terminal/terminal.js');
		if (flags.once || flags.json || !canRunTui(process.stdin, process.stdout)) {
			if (notice !== undefined) process.stderr.write(`heaptop: ${notice}\n`);
			const { onceCommand } = await import('./source/commands/once.js');
			return await onceCommand(source, {
				json: flags.json,
				color: wantsColor(process.stdout),
				collect: flags.collect,
				stdout: process.stdout,
			});
		}
		const { runTui } = await import('./source/ui/run-tui.js');
		return await runTui(source, {
			color: wantsColor(process.stdout),
			ascii: flags.ascii,
			intervalMs: interval,
			...(notice === undefined ? {} : { notice }),
		});
	} finally {
		stopRecording?.();
	}
}

async function main(): Promise<number> {
	const [command, ...rest] = cli.input;
	if (flags.count !== undefined && (!Number.isInteger(flags.count) || flags.count < 1)) {
		throw new UsageError('--count takes a whole number of lines, 1 or more');
	}
	if (command === 'run' && flags.port !== undefined) {
		// Rather than run in the emulator while the user thinks it is their board.
		throw new UsageError('run uses the emulated board only: drop --port (on a board, try heaptop profile --port)');
	}
	switch (command) {
		case 'inspect': {
			const input = rest[0];
			if (input === undefined) throw new UsageError('inspect needs a file, or - for standard input');
			const { inspectCommand } = await import('./source/commands/inspect.js');
			return inspectCommand({
				input,
				json: flags.json,
				all: flags.all,
				color: wantsColor(process.stdout),
				stdout: process.stdout,
				stdin: process.stdin,
			});
		}
		case 'replay': {
			const path = rest[0];
			if (path === undefined) throw new UsageError('replay needs a recording made with --record');
			const { canRunTui } = await import('./source/ui/terminal/terminal.js');
			if (flags.once || flags.json || flags.all || !canRunTui(process.stdin, process.stdout)) {
				const { replayOnceCommand } = await import('./source/commands/replay.js');
				return replayOnceCommand({
					path,
					json: flags.json,
					all: flags.all,
					color: wantsColor(process.stdout),
					stdout: process.stdout,
					stderr: process.stderr,
				});
			}
			const { createReplaySource } = await import('./source/sources/replay.js');
			const { runTui } = await import('./source/ui/run-tui.js');
			return runTui(createReplaySource(path), { color: wantsColor(process.stdout), ascii: flags.ascii, intervalMs: 0 });
		}
		case 'run': {
			const script = rest[0];
			if (script === undefined) throw new UsageError('run needs a script, e.g. heaptop run main.py --heap 64k');
			const timeoutMs = flags.timeout === undefined ? undefined : durationMs(flags.timeout, '--timeout');
			const { runCommand } = await import('./source/commands/run-command.js');
			const stop = new AbortController();
			process.once('SIGINT', () => stop.abort());
			const heap = await heapBytes();
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
			if (!flags.snippet)
				throw new UsageError(
					'to listen to a board: heaptop --listen --port PORT; for the code to add: heaptop listen --snippet',
				);
			const { listenSnippet } = await import('./source/sources/listen.js');
			process.stdout.write(`${listenSnippet(intervalMs(5000) / 1000)}\n`);
			return 0;
		}
		case 'imports': {
			const { importsCommand } = await import('./source/commands/measure.js');
			return importsCommand({
				modules: rest,
				on: await measureOn(),
				...(flags.path === undefined ? {} : { path: flags.path }),
				fresh: flags.fresh,
				json: flags.json,
				stdout: process.stdout,
				stderr: process.stderr,
			});
		}
		case 'profile': {
			const script = rest[0];
			if (script === undefined) throw new UsageError('profile needs a script, e.g. heaptop profile main.py');
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
			if (flags.pty === undefined) throw new UsageError('emulate needs --pty PATH, e.g. --pty /tmp/heaptop-board');
			const { runEmulate } = await import('./source/commands/emulate.js');
			const heap = await heapBytes();
			const faults = {
				...(flags.paceBaud === undefined ? {} : { paceBaud: flags.paceBaud }),
				...(flags.cutAfter === undefined ? {} : { cutAfterBytes: flags.cutAfter }),
				...(flags.cutFor === undefined ? {} : { cutForMs: flags.cutFor }),
				...(flags.garbageAt === undefined ? {} : { garbageAtBytes: flags.garbageAt }),
			};
			let mainProgram: string | undefined;
			if (flags.main !== undefined) {
				const { readFile } = await import('node:fs/promises');
				mainProgram = await readFile(flags.main, 'utf8').catch(() => {
					throw new UsageError(`cannot read --main ${flags.main}`);
				});
			}
			return runEmulate({
				ptyPath: flags.pty,
				...(heap === undefined ? {} : { heapBytes: heap }),
				rawPaste: flags.rawPaste,
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
			if (flags.demo) return show(await demoSource(undefined), 1000);
			if (flags.listen) return show(await listenSource(), 0);
			const { source, intervalMs: defaultMs, notice } = await boardOrDemo();
			return show(source, defaultMs, notice);
		}
		default: {
			// With --demo, the next word is the scenario: meow reads it as the first input.
			if (flags.demo) return show(await demoSource(command), 1000);
			throw new UsageError(`unknown command "${command}": see heaptop --help`);
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
		process.stderr.write(
			`heaptop: internal error, please report it:\n${error instanceof Error ? error.stack : String(error)}\n`,
		);
		process.exitCode = 1;
	},
);
