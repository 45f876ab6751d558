import type { Reading, SourceStatus } from '../../sources/source.js';
import type { KeyName } from './keys.js';
import type { Notice, ViewState } from './view-state.js';

/**
 * The shapes the reducer and the command table share: what a command is, what the world looks like to it,
 * and what it hands back. Plain data only, so that every command can be tested as a function.
 */

/** Whose keys are on: a live source's, or a recording being replayed. */
export type KeyMode = 'live' | 'replay';

/** A command by its id in the table, with the number its key gave (`+` is interval 1, `3` choose 2). */
export type Command = { id: string; arg?: number };

/** What a command may look at besides the view: the source's abilities and state, the screen's size. */
export type Capabilities = {
	mode: KeyMode;
	/** The demo's scenarios (0 for any other source). */
	scenarios: number;
	canRead: boolean;
	canInterrupt: boolean;
	canProbe: boolean;
	status: SourceStatus;
	statusMessage?: string;
	readInFlight: boolean;
	/** The reading shown, and the one before it (a replay: the one before it in the recording). */
	reading?: Reading;
	previous?: Reading;
	/** A replay: the reading shown (-1 while loading) and how many there are. */
	replay?: { cursor: number; count: number };
	columns: number;
	rows: number;
	/** Lines the caption and the legend take at this width. */
	captionLines: number;
	legendLines: number;
	/** Lines the help has at this width (it scrolls when they do not fit). */
	helpLines: number;
	nowMs: number;
	ascii: boolean;
};

/** Something a command asks the App to do outside the view: talk to the source, the file system, React. */
export type Effect =
	| { type: 'quit' }
	| { type: 'read'; collect: boolean }
	| { type: 'save' }
	| { type: 'next-step' }
	| { type: 'choose'; index: number }
	| { type: 'interrupt' }
	| { type: 'probe' }
	| { type: 'seek'; index: number }
	| { type: 'repaint' };

/** What a command hands back: the new view, at most one effect, and at most one line for the user. */
export type Outcome = { state: ViewState; effect?: Effect; notice?: Notice };

/** Where a line of help applies: the demo only, a live source only, a replay only. */
export type HelpScope = 'demo' | 'live' | 'replay';

/** One key of a command: the key, the number it gives the command, and the mode it is bound in. */
export type Binding = {
	key: KeyName;
	arg?: number;
	only?: KeyMode;
	/** A second key for the same thing that the help does not list (`=` for `+` without Shift). */
	alias?: boolean;
};

/** One line of the help. */
export type HelpLine = { keys: string; what: string; only?: HelpScope };

/**
 * A command in the one table (`commands.ts`): its keys, its help, its hint in the status line, and what it
 * does. Adding a command is adding one of these.
 */
export type CommandEntry = {
	id: string;
	keys: readonly Binding[];
	help: readonly HelpLine[];
	/** Its hint in the status line, when it has one now: `[key, what]`. */
	hint?(state: ViewState, caps: Capabilities): readonly [string, string] | undefined;
	/** True when it also acts while the help is open. */
	inHelp?: boolean;
	/** Asks twice: the first press only says what the second will do (within `confirmMs`). */
	confirm?: { text(caps: Capabilities): string; ms?: number };
	/** Reads a value first: the prompt's label; `run` then gets the typed text's number as its `arg`. */
	prompt?: { label: string; parse(text: string): number | undefined; invalid: string };
	run(state: ViewState, arg: number | undefined, caps: Capabilities): Outcome;
};

/** Why a read cannot start now: the hook refuses with one, and the command table words it for the user. */
export type ReadRefusal =
	| 'passive'
	| 'replay'
	| 'disconnected'
	| 'connecting'
	| 'busy'
	| 'not-answering'
	| 'in-flight'
	| 'error';
