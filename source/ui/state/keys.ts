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

/** What Home, End and space mean depends on the source: a live heap, or a recording being replayed. */
export type KeyMode = 'live' | 'replay';

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
	/** Replay: one reading back or forward. */
	| { type: 'step'; delta: 1 | -1 }
	/** Replay: the first or the last reading. */
	| { type: 'seek'; to: 'first' | 'last' }
	/** Replay: play or pause. */
	| { type: 'play' }
	| ScrollCommand;

/**
 * The command of a key, or undefined for a key heaptop does not use. While help is open only a few keys act.
 * In a replay, Home and End go to the first and last reading and space plays; the map keeps the arrows and
 * PgUp/PgDn. `[` and `]` step in either mode, so that a live source can say it has no steps.
 */
export function commandForKey(input: string, key: Key, helpOpen: boolean, mode: KeyMode = 'live'): Command | undefined {
	if ((key.ctrl && input === 'c') || input === 'q') return { type: 'quit' };
	if (helpOpen) return key.escape || input === '?' ? { type: 'close-help' } : undefined;
	if (mode === 'replay') {
		if (key.home) return { type: 'seek', to: 'first' };
		if (key.end) return { type: 'seek', to: 'last' };
		if (input === ' ' && !key.ctrl && !key.meta) return { type: 'play' };
	}
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
		case '[':
			return { type: 'step', delta: -1 };
		case ']':
			return { type: 'step', delta: 1 };
		default:
			if (input.length === 1 && input >= '1' && input <= '9') return { type: 'choose', index: Number(input) - 1 };
			return undefined;
	}
}

/** One line of the help overlay; `only` keeps it to the demo, to a live source, or to a replay. */
export type KeyHelp = { keys: string; asciiKeys?: string; what: string; only?: 'demo' | 'live' | 'replay' };

/** Every key, in the order the help overlay lists them. */
export const KEY_HELP: readonly KeyHelp[] = [
	{ keys: 'g', what: 'gc.collect(), then read the heap', only: 'live' },
	{ keys: 'r  space', what: 'read the heap now, without collecting', only: 'live' },
	{ keys: 'p', what: 'pause or resume auto-refresh', only: 'live' },
	{ keys: '+  -', what: 'auto-refresh: off, 0.5, 1, 2, 5 s', only: 'live' },
	{ keys: '[  ]', what: 'one reading back, one reading forward', only: 'replay' },
	{ keys: 'Home  End', what: 'the first reading, the last reading', only: 'replay' },
	{ keys: 'space', what: 'play or pause; at the end, play from the first', only: 'replay' },
	{ keys: '+  -', what: 'play speed: 1, 2, 5, 10, 20, 50, 100× the recorded pace', only: 'replay' },
	{ keys: 'd', what: 'highlight freed and new blocks, or stop', only: 'live' },
	{ keys: 'd', what: 'highlight what changed since the reading before', only: 'replay' },
	{ keys: 'z', what: 'zoom: 2, 4, 8… blocks a cell, then 1' },
	{ keys: '↑ ↓ PgUp PgDn Home End', asciiKeys: 'arrows PgUp PgDn Home End', what: 'scroll the map', only: 'live' },
	{ keys: '↑ ↓ PgUp PgDn', asciiKeys: 'arrows PgUp PgDn', what: 'scroll the map', only: 'replay' },
	{ keys: 'l', what: 'legend on or off' },
	{ keys: 'o', what: "the board's output on or off", only: 'live' },
	{ keys: 's', what: 'save the snapshot as .txt and .json' },
	{ keys: 'i', what: 'board busy: interrupt its program (Ctrl-C)', only: 'live' },
	{ keys: 'b', what: 'board: probe the largest allocatable block', only: 'live' },
	{ keys: 'n', what: 'next step of the scenario', only: 'demo' },
	{ keys: '1-9', what: 'pick a scenario', only: 'demo' },
	{ keys: '?  Esc', what: 'close this help' },
	{ keys: 'q  Ctrl-C', what: 'quit' },
];

/** The keys that act on this source: the demo's only in the demo (a live source), a replay's only in a replay. */
export function keyHelpFor(options: { mode: KeyMode; demo: boolean }): KeyHelp[] {
	return KEY_HELP.filter(
		(entry) =>
			entry.only === undefined ||
			(entry.only === 'demo' ? options.demo && options.mode === 'live' : entry.only === options.mode),
	);
}
