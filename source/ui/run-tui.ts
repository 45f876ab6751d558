import { createRequire } from 'node:module';
import { constants } from 'node:os';
import { unguarded } from '../output/terminal-edge.js';
import { sanitizedSource } from '../sources/sanitized-source.js';
import type { HeapSource } from '../sources/source.js';
import { createFrameWriter } from './terminal/frame-writer.js';
import { enterFullScreen, localeIsUtf8 } from './terminal/terminal.js';

/** How to run the TUI. */
export type TuiOptions = {
	/** False for `--no-color` or when `NO_COLOR` is set and non-empty. */
	color: boolean;
	/** True for `--ascii`. */
	ascii: boolean;
	/** Auto-refresh at start in ms, 0 for off: 0 for a board, 1000 for the demo. */
	intervalMs: number;
	/** Frames per second at most; a slow link wants fewer. Default 15. */
	maxFps?: number;
	/** A line for the status line at start, e.g. why the demo runs instead of a board. */
	notice?: string;
	/** The environment whose locale decides UTF-8 or ASCII drawing; `process.env` by default. */
	env?: Record<string, string | undefined>;
	stdin?: NodeJS.ReadStream;
	stdout?: NodeJS.WriteStream;
	stderr?: NodeJS.WriteStream;
};

/** True when any React module is in the CommonJS module cache (React ships as CommonJS). */
function isReactLoaded(): boolean {
	const cache = createRequire(import.meta.url).cache;
	return Object.keys(cache).some((path) => /[\\/]node_modules[\\/](react|react-reconciler)[\\/]/.test(path));
}

/** Closes the source, but gives up after `ms`: a wedged port must not keep the terminal hostage. */
async function closeSource(source: HeapSource, ms: number): Promise<void> {
	let timer: NodeJS.Timeout | undefined;
	await Promise.race([
		source.close().catch(() => undefined),
		new Promise<void>((resolve) => {
			timer = setTimeout(resolve, ms);
		}),
	]);
	clearTimeout(timer);
}

/**
 * Runs the TUI on a source until the user quits, and resolves the exit code: 0 when the user quits, 128 +
 * the signal's number on SIGINT, SIGTERM or SIGHUP, 1 after an uncaught error (reported on stderr once the
 * screen is back). Whatever the way out, the source is closed and the terminal restored before it resolves.
 * The caller checks `canRunTui` first: Ink cannot run on a stdin that is not a terminal.
 */
export async function runTui(source: HeapSource, options: TuiOptions): Promise<number> {
	// React's development build keeps debug data for every render, about 45 KB a frame: memory that grows
	// for as long as heaptop runs. It is chosen when React first loads, hence the dynamic imports and no JSX
	// in this file (JSX would load react/jsx-runtime, in development mode, with the module). If some React
	// module is loaded already, the mode is left alone: a development jsx-runtime with a production
	// reconciler makes the screen exit at once.
	if (!isReactLoaded()) process.env.NODE_ENV ??= 'production';
	const [{ render }, { createElement }, { App }] = await Promise.all([
		import('ink'),
		import('react'),
		import('./components/app.js'),
	]);
	const stdin = options.stdin ?? process.stdin;
	// The one writer allowed past the output guard: the frame writer sanitises every line itself.
	const stdout = unguarded(options.stdout ?? process.stdout);
	const stderr = options.stderr ?? process.stderr;
	const guard = enterFullScreen(stdout, stdin);
	// Outside a UTF-8 locale the screen draws in ASCII by itself.
	const ascii = options.ascii || !localeIsUtf8(options.env ?? process.env);
	const writer = createFrameWriter(stdout, { maxFps: options.maxFps ?? 15, ascii });
	// Nothing but the frame writer may write to the screen: anything logged while it runs is held and
	// printed on stderr once the screen is restored.
	const held: string[] = [];
	const consoleMethods = ['log', 'info', 'warn', 'error', 'debug'] as const;
	const saved = consoleMethods.map((name) => [name, console[name]] as const);
	for (const name of consoleMethods) {
		console[name] = (...args: unknown[]) => {
			held.push(args.map((arg) => (typeof arg === 'string' ? arg : String(arg))).join(' '));
		};
	}
	let code = 0;
	let failure: unknown;
	const instance = render(
		createElement(App, {
			source: sanitizedSource(source),
			color: options.color,
			ascii,
			intervalMs: options.intervalMs,
			...(options.notice === undefined ? {} : { notice: options.notice }),
			mapOverlay: writer.setOverlay,
			onRepaint: writer.repaint,
			onExit: (exitCode: number) => {
				code = exitCode;
			},
		}),
		{
			stdin,
			stdout: writer.stream,
			stderr,
			// Debug mode hands each whole frame to the frame writer, which sends only the lines that changed.
			debug: true,
			// Ctrl-C is a key like q: the App quits through the same path, closing the source first.
			exitOnCtrlC: false,
			patchConsole: false,
		},
	);
	const onSignal = (signal: NodeJS.Signals) => {
		// The shell's convention: 128 plus the signal's number (130 for SIGINT).
		code = 128 + constants.signals[signal];
		instance.unmount();
	};
	const onCrash = (error: unknown) => {
		code = 1;
		failure ??= error;
		instance.unmount();
	};
	const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
	for (const signal of signals) process.on(signal, onSignal);
	process.on('uncaughtException', onCrash);
	process.on('unhandledRejection', onCrash);
	try {
		await instance.waitUntilExit();
	} catch (error) {
		code = 1;
		failure ??= error;
	} finally {
		for (const signal of signals) process.off(signal, onSignal);
		process.off('uncaughtException', onCrash);
		process.off('unhandledRejection', onCrash);
		writer.stop();
		await closeSource(source, 2000);
		guard.restore();
		for (const [name, method] of saved) console[name] = method;
	}
	for (const line of held) stderr.write(`${line}\n`);
	if (failure !== undefined) {
		const message = failure instanceof Error ? (failure.stack ?? failure.message) : String(failure);
		stderr.write(`heaptop: the screen failed and was closed: ${message}\n`);
	}
	return code;
}
