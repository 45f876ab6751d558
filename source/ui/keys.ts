import type { Key } from 'ink';

/**
 * What a key press means, without React: Ink's `useInput` hands over `(input, key)`, this turns it into a
 * command that the App carries out. The same table feeds the help overlay, so the help never drifts from the
 * keys.
 */

/** A scroll request in map lines or by page/end. */
export type ScrollCommand =
	| { type: 'scroll'; by: 'line' | 'page'; delta: number }
	| { type: 'scroll-to'; to: 'home' | 'end' };

/** Everything a key can ask for. */
export type Command =
	| { type: 'quit' }
	| { type: 'collect' }
	| { type: 'refresh' }
	| { type: 'pause' }
	| { type: 'interval'; delta: 1 | -1 }
	| { type: 'diff' }
	| { type: 'zoom' }
	| { type: 'legend' }
	| { type: 'log' }
	| { type: 'save' }
	| { type: 'help' }
	| { type: 'close-help' }
	| { type: 'next-step' }
	| { type: 'choose'; index: number }
	| { type: 'interrupt' }
	| { type: 'probe' }
	| ScrollCommand;

/** The command of a key, or undefined for a key heaptop does not use. While help is open only a few keys act. */
export function commandForKey(input: string, key: Key, helpOpen: boolean): Command | undefined {
	if ((key.ctrl && input === 'c') || input === 'q') return { type: 'quit' };
	if (helpOpen) return key.escape || input === '?' ? { type: 'close-help' } : undefined;
	if (key.upArrow) return { type: 'scroll', by: 'line', delta: -1 };
	if (key.downArrow) return { type: 'scroll', by: 'line', delta: 1 };
	if (key.pageUp) return { type: 'scroll', by: 'page', delta: -1 };
	if (key.pageDown) return { type: 'scroll', by: 'page', delta: 1 };
	if (key.home) return { type: 'scroll-to', to: 'home' };
	if (key.end) return { type: 'scroll-to', to: 'end' };
	if (key.ctrl || key.meta) return undefined;
	switch (input) {
		case 'g':
			return { type: 'collect' };
		case 'r':
		case ' ':
			return { type: 'refresh' };
		case 'p':
			return { type: 'pause' };
		case '+':
		case '=':
			return { type: 'interval', delta: 1 };
		case '-':
		case '_':
			return { type: 'interval', delta: -1 };
		case 'd':
			return { type: 'diff' };
		case 'z':
			return { type: 'zoom' };
		case 'l':
			return { type: 'legend' };
		case 'o':
			return { type: 'log' };
		case 's':
			return { type: 'save' };
		case '?':
			return { type: 'help' };
		case 'n':
			return { type: 'next-step' };
		case 'i':
			return { type: 'interrupt' };
		case 'b':
			return { type: 'probe' };
		default:
			if (input.length === 1 && input >= '1' && input <= '9') return { type: 'choose', index: Number(input) - 1 };
			return undefined;
	}
}

/** One line of the help overlay. */
export type KeyHelp = { keys: string; asciiKeys?: string; what: string; demo?: boolean };

/** Every key, in the order the help overlay lists them. */
export const KEY_HELP: readonly KeyHelp[] = [
	{ keys: 'g', what: 'gc.collect(), then read the heap' },
	{ keys: 'r  space', what: 'read the heap now, without collecting' },
	{ keys: 'p', what: 'pause or resume auto-refresh' },
	{ keys: '+  -', what: 'auto-refresh: off, 0.5, 1, 2, 5 s' },
	{ keys: 'd', what: 'highlight freed and new blocks, or stop' },
	{ keys: 'z', what: 'zoom: 2, 4, 8… blocks a cell, then 1' },
	{ keys: '↑ ↓ PgUp PgDn Home End', asciiKeys: 'arrows PgUp PgDn Home End', what: 'scroll the map' },
	{ keys: 'l', what: 'legend on or off' },
	{ keys: 'o', what: "the board's output on or off" },
	{ keys: 's', what: 'save the snapshot as .txt and .json' },
	{ keys: 'i', what: 'board busy: interrupt its program (Ctrl-C)' },
	{ keys: 'b', what: 'board: probe the largest allocatable block' },
	{ keys: 'n', what: 'next step of the scenario', demo: true },
	{ keys: '1-9', what: 'pick a scenario', demo: true },
	{ keys: '?  Esc', what: 'close this help' },
	{ keys: 'q  Ctrl-C', what: 'quit' },
];
