import { execFileSync, spawnSync } from 'node:child_process';

/**
 * A real terminal for end-to-end tests: a tmux pane of a fixed size on a private tmux server (its own
 * socket, so a developer's tmux is never touched), driven with `send-keys` and read with `capture-pane`.
 */

/** True when tmux can be run here. */
export function hasTmux(): boolean {
	return spawnSync('tmux', ['-V'], { stdio: 'ignore' }).status === 0;
}

/** One pane running one command. */
export type TmuxPane = {
	/** Sends keys as tmux names them: `g`, `Escape`, `C-c`, `PageDown`. */
	sendKeys(...keys: string[]): void;
	/** The pane's text now, one line per row; with `escapes`, with the colour and attribute sequences. */
	capture(options?: { escapes?: boolean }): string;
	/** True while the program is on the alternate screen. */
	alternateOn(): boolean;
	/** True when the cursor is visible. */
	cursorVisible(): boolean;
	/** Polls the pane until `check` passes on its text; throws with the last capture after `timeoutMs`. */
	waitFor(check: (text: string) => boolean, what: string, timeoutMs?: number): Promise<string>;
	/** A tmux format of the pane, such as `#{pane_tty}`. */
	display(format: string): string;
	/** Pipes what the program writes to the pane (its raw bytes) to `command`; no command stops the pipe. */
	pipe(command?: string): void;
	/** Stops the tmux server and everything in it. */
	kill(): void;
};

let counter = 0;

/** Starts `command` (run by `sh -c`) in a new pane of `columns` × `rows`, in `cwd`. */
export function startPane(options: {
	command: string;
	columns: number;
	rows: number;
	cwd?: string;
	env?: NodeJS.ProcessEnv;
}): TmuxPane {
	counter++;
	const socket = `heaptop-test-${process.pid}-${counter}`;
	const tmux = (...args: string[]) =>
		execFileSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], {
			encoding: 'utf8',
			cwd: options.cwd,
			env: { ...process.env, TERM: 'xterm-256color', ...options.env },
		});
	tmux(
		'new-session',
		'-d',
		'-s',
		'test',
		'-x',
		String(options.columns),
		'-y',
		String(options.rows),
		'sh',
		'-c',
		options.command,
	);
	const display = (format: string) => tmux('display-message', '-p', '-t', 'test', format).trim();
	const pane: TmuxPane = {
		sendKeys: (...keys) => {
			tmux('send-keys', '-t', 'test', ...keys);
		},
		capture: (captureOptions) => tmux('capture-pane', '-p', ...(captureOptions?.escapes ? ['-e'] : []), '-t', 'test'),
		display,
		pipe: (command) => {
			tmux('pipe-pane', '-t', 'test', ...(command === undefined ? [] : ['-o', command]));
		},
		alternateOn: () => display('#{alternate_on}') === '1',
		cursorVisible: () => display('#{cursor_flag}') === '1',
		async waitFor(check, what, timeoutMs = 15_000) {
			const deadline = Date.now() + timeoutMs;
			let text = pane.capture();
			while (!check(text)) {
				if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; the pane shows:\n${text}`);
				// Polling a real terminal is the one place a wait is unavoidable: the program runs on its own.
				await new Promise((resolve) => setTimeout(resolve, 50));
				text = pane.capture();
			}
			return text;
		},
		kill: () => {
			spawnSync('tmux', ['-L', socket, 'kill-server'], { stdio: 'ignore' });
		},
	};
	return pane;
}
