import type { HeapSnapshot } from '../../heap/model.js';
import type { Capabilities, Command, CommandEntry, Effect, HelpLine, KeyMode, Outcome } from './command-types.js';
import { COMMANDS } from './commands.js';
import type { KeyName } from './keys.js';
import type { Notice, ViewState } from './view-state.js';

/**
 * The view as a pure reducer: `(state, command, capabilities) -> {state, effect, notice}`. Keys become
 * commands through the one table (`commands.ts`); events from the source and from timers change the view
 * here too. Nothing here talks to a source, a file or React: the App runs the effects.
 */

/** How long a twice-to-confirm command waits for its second press. */
export const CONFIRM_MS = 3000;

// A lookup in the table itself, not a copy of it: the table is the one place a command is defined.
const entryOf = (id: string): CommandEntry | undefined => COMMANDS.find((entry) => entry.id === id);

/** Everything that changes the view. */
export type Action =
	| { type: 'key'; key: KeyName }
	| { type: 'command'; command: Command }
	/** A reading arrived: after a collect with the snapshot before it, the diff shows for a moment. */
	| { type: 'reading'; afterCollect: boolean; before?: HeapSnapshot }
	| { type: 'notify'; notice: Notice }
	| { type: 'notice-over'; seq: number }
	| { type: 'moment-over' }
	| { type: 'play-ended' };

/** The command a key gives now, or undefined: while the help is open only a few keys act. */
export function commandForKey(key: KeyName, state: ViewState, mode: KeyMode): Command | undefined {
	for (const entry of COMMANDS) {
		if (state.help && !entry.inHelp) continue;
		for (const binding of entry.keys) {
			if (binding.key !== key) continue;
			if (binding.only !== undefined && binding.only !== mode) continue;
			return binding.arg === undefined ? { id: entry.id } : { id: entry.id, arg: binding.arg };
		}
	}
	return undefined;
}

/** Runs a command of the table, asking first when it asks twice or wants a value. */
export function reduce(state: ViewState, command: Command, caps: Capabilities): Outcome {
	const entry = entryOf(command.id);
	if (!entry) return { state };
	if (entry.confirm) {
		const armed = state.armed;
		const ms = entry.confirm.ms ?? CONFIRM_MS;
		if (!armed || armed.command !== entry.id || caps.nowMs - armed.atMs > ms) {
			return {
				state: { ...state, armed: { command: entry.id, atMs: caps.nowMs } },
				notice: { text: entry.confirm.text(caps), tone: 'warn' },
			};
		}
		const { armed: _done, ...rest } = state;
		return entry.run(rest, command.arg, caps);
	}
	if (entry.prompt && command.arg === undefined) {
		return { state: { ...state, prompt: { command: entry.id, label: entry.prompt.label, text: '' } } };
	}
	const outcome = entry.run(state, command.arg, caps);
	// Any other command disarms a pending confirmation: the second press must follow the first.
	if (outcome.state.armed) {
		const { armed: _dropped, ...rest } = outcome.state;
		return { ...outcome, state: rest };
	}
	return outcome;
}

/** A key while a prompt is open: typing, Backspace, Enter to run the command with the value, Esc to drop it. */
function promptKey(state: ViewState, key: KeyName, caps: Capabilities): Outcome {
	const prompt = state.prompt;
	if (!prompt) return { state };
	const entry = entryOf(prompt.command);
	const { prompt: _closed, ...closed } = state;
	if (key === 'escape' || key === 'ctrl-c' || !entry?.prompt) return { state: closed };
	if (key === 'backspace') return { state: { ...state, prompt: { ...prompt, text: prompt.text.slice(0, -1) } } };
	if (key === 'enter') {
		const value = entry.prompt.parse(prompt.text);
		if (value === undefined) return { state, notice: { text: entry.prompt.invalid, tone: 'warn' } };
		return reduce(closed, { id: entry.id, arg: value }, caps);
	}
	if (key.length === 1 && prompt.text.length < 24)
		return { state: { ...state, prompt: { ...prompt, text: prompt.text + key } } };
	return { state };
}

/** Folds any action into the view. */
export function update(state: ViewState, action: Action, caps: Capabilities): Outcome {
	switch (action.type) {
		case 'key': {
			if (state.prompt) return promptKey(state, action.key, caps);
			const command = commandForKey(action.key, state, caps.mode);
			return command ? reduce(state, command, caps) : { state };
		}
		case 'command':
			return reduce(state, action.command, caps);
		case 'reading': {
			const { seekTo: _shown, ...next } = state;
			if (caps.mode === 'replay' || !action.afterCollect || !action.before) return { state: next };
			return {
				state: {
					...next,
					diffBase: action.before,
					highlight: state.highlight === 'pinned' ? 'pinned' : 'moment',
				},
			};
		}
		case 'notify':
			return { state, notice: action.notice };
		case 'notice-over': {
			if (state.notice?.seq !== action.seq) return { state };
			const { notice: _gone, ...rest } = state;
			return { state: rest };
		}
		case 'moment-over':
			return { state: state.highlight === 'moment' ? { ...state, highlight: 'off' } : state };
		case 'play-ended':
			return { state: state.playing ? { ...state, playing: false } : state };
	}
}

/** The view with a notice from an outcome put in place (numbered, so its timer ends only it). */
export function withNotice(state: ViewState, notice: Notice | undefined): ViewState {
	if (!notice) return state;
	const seq = state.noticeSeq + 1;
	return { ...state, noticeSeq: seq, notice: { ...notice, seq } };
}

/** The App's model: the view, and the effects not yet run, numbered. */
export type ScreenModel = { view: ViewState; effects: readonly { seq: number; effect: Effect }[]; effectSeq: number };

/** `useReducer`'s reducer: an action with the capabilities of the moment it was sent. */
export function screenReducer(model: ScreenModel, input: { action: Action; caps: Capabilities }): ScreenModel {
	const outcome = update(model.view, input.action, input.caps);
	const view = withNotice(outcome.state, outcome.notice);
	if (!outcome.effect) return view === model.view ? model : { ...model, view };
	const seq = model.effectSeq + 1;
	// Only the effects not yet run are kept; the App drops the ones it ran (see `effectsAfter`).
	return { view, effects: [...model.effects, { seq, effect: outcome.effect }].slice(-32), effectSeq: seq };
}

/** The help's lines for a source: the demo's only in the demo, a replay's only in a replay. */
export function helpFor(options: { mode: KeyMode; demo: boolean }): HelpLine[] {
	const lines: HelpLine[] = [];
	for (const entry of COMMANDS) {
		for (const line of entry.help) {
			const applies =
				line.only === undefined ||
				(line.only === 'demo' ? options.demo && options.mode === 'live' : line.only === options.mode);
			if (applies) lines.push(line);
		}
	}
	return lines;
}

/** The status line's key hints now, in table order; `? help` and `q quit` come last. */
export function hintsFor(state: ViewState, caps: Capabilities): [string, string][] {
	const hints: [string, string][] = [];
	const last: [string, string][] = [];
	for (const entry of COMMANDS) {
		const hint = entry.hint?.(state, caps);
		if (!hint) continue;
		(entry.id === 'help' || entry.id === 'quit' ? last : hints).push([hint[0], hint[1]]);
	}
	return [...hints, ...last];
}

/** The entry of a command id, for tests and the help. */
export function commandEntry(id: string): CommandEntry | undefined {
	return entryOf(id);
}
