/**
 * Terminal manners: the alternate screen, so that quitting leaves the user's scrollback as it was, and a
 * hidden cursor while the TUI runs; both put back exactly once, whichever way heaptop ends.
 */

// DEC private modes: 1049 = alternate screen with saved cursor, 25 = cursor visible.
const ENTER = '\u001b[?1049h\u001b[?25l\u001b[H\u001b[2J';
const LEAVE = '\u001b[?25h\u001b[?1049l';

/** A writable terminal, as much of it as this module needs. */
export type TerminalOut = { write(text: string): unknown; isTTY?: boolean };

/** What `enterFullScreen` returns: put the terminal back (safe to call more than once). */
export type TerminalGuard = { restore(): void; readonly restored: boolean };

/**
 * Switches to the alternate screen and hides the cursor. A process `exit` listener restores both even when
 * something calls `process.exit` on the way out; signals and crashes are handled by `runTui`, which must
 * close the source first.
 */
export function enterFullScreen(
	stdout: TerminalOut,
	stdin?: { isTTY?: boolean; setRawMode?(mode: boolean): unknown },
): TerminalGuard {
	let restored = false;
	const restore = () => {
		if (restored) return;
		restored = true;
		process.off('exit', restore);
		// Raw mode left on would make the shell ignore Enter and Ctrl-C after a crash.
		if (stdin?.isTTY && stdin.setRawMode) {
			try {
				stdin.setRawMode(false);
			} catch {
				// stdin already closed: nothing left to restore there.
			}
		}
		stdout.write(LEAVE);
	};
	stdout.write(ENTER);
	process.on('exit', restore);
	return {
		restore,
		get restored() {
			return restored;
		},
	};
}

/**
 * True when both ends are terminals that can take a full screen: Ink's raw mode needs stdin to be one, the
 * screen needs stdout, and `TERM=dumb` (Emacs' shell, some CI logs) has no cursor movement: it gets one
 * snapshot printed, as `--once` does.
 */
export function canRunTui(
	stdin: { isTTY?: boolean },
	stdout: { isTTY?: boolean },
	env: Record<string, string | undefined> = process.env,
): boolean {
	return stdin.isTTY === true && stdout.isTTY === true && env.TERM !== 'dumb';
}

/**
 * True when the locale's character set is UTF-8, as the C library decides it: the first of LC_ALL, LC_CTYPE
 * and LANG that is set names it, and none set is the C locale. A terminal in another locale gets the ASCII
 * drawing, as with `--ascii`, since box-drawing characters would come out as mojibake there.
 */
export function localeIsUtf8(env: Record<string, string | undefined> = process.env): boolean {
	const locale = [env.LC_ALL, env.LC_CTYPE, env.LANG].find((value) => value !== undefined && value !== '') ?? 'C';
	return /utf-?8/i.test(locale);
}
