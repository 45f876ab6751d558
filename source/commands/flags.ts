import { parseHeapSize } from '../sources/heap-size.js';
import { type CommandName, commandNames } from './command-names.js';
import { parseDuration } from './parse-duration.js';
import { parseSize } from './parse-size.js';

/**
 * Every flag heaptop takes, and the rules of the command line, in one table: what each flag takes, where it
 * means something, which flags cannot go together. Pure (no I/O), so that every rule is unit-tested; `cli.tsx`
 * only acts on the result. Adding a flag is one entry in `flagSpecs` (its help line comes from there too).
 */

// Their own module, so that `dist/cli.cjs` can tell a printing run from its first word without this parser.
export { type CommandName, commandNames } from './command-names.js';

/** Where a flag can mean something: a command, or one of the three live screens. */
export type Context = CommandName | 'board' | 'demo' | 'listening';

/** How the user names each context in a message. */
const contextNames: Record<Context, string> = {
	board: "a board's live screen",
	demo: '--demo',
	listening: '--listen',
	inspect: 'inspect',
	replay: 'replay',
	run: 'run',
	ports: 'ports',
	listen: 'listen --snippet',
	imports: 'imports',
	profile: 'profile',
	emulate: 'emulate',
};

/** A value as read from the command line, or the one line that says what the flag takes. */
type Read<T> = { ok: true; value: T } | { ok: false; message: string };
/** What a value flag takes, in words (`a duration like 1s`), and how its value is read. */
type Reader<T> = { takes: string; read: (text: string, flag: string) => Read<T> };

type Common = {
	/** Where the flag means something; anywhere else it is refused. */
	contexts: readonly Context[];
	/** Its line in `--help` (a `\n` continues it on the next line). */
	help: string;
	/** `emulate`'s own flags are listed apart in `--help`. */
	section?: 'emulate';
	/** A better line than the generic one for a context where the flag is refused. */
	refusedIn?: Partial<Record<Context, string>>;
};
/** A switch: `--once`; with `default: true`, turned off by `--no-NAME`. */
type SwitchSpec = Common & { kind: 'switch'; default: boolean };
/** A flag with a value: `--port PATH`, `--port=PATH`. */
type ValueSpec<T> = Common & { kind: 'value'; placeholder: string; read: Reader<T> };

function toggle(contexts: readonly Context[], help: string, more: Partial<SwitchSpec> = {}): SwitchSpec {
	return { kind: 'switch', default: false, contexts, help, ...more };
}
function option<T>(
	placeholder: string,
	read: Reader<T>,
	contexts: readonly Context[],
	help: string,
	more: Partial<Common> = {},
): ValueSpec<T> {
	return { kind: 'value', placeholder, read, contexts, help, ...more };
}

function shown(text: string): string {
	return text === '' ? 'an empty value' : `"${text}"`;
}

/** A non-empty string; `takes` says what it should be. */
function text(takes: string): Reader<string> {
	return {
		takes,
		read: (value, flag) =>
			value.trim() === '' ? { ok: false, message: `${flag} takes ${takes}, not ${shown(value)}` } : { ok: true, value },
	};
}

/** A whole number from `min` up, at most `max`; `takes` says what it counts. */
function whole(unit: string, min: number, max = Number.MAX_SAFE_INTEGER): Reader<number> {
	const range = max === Number.MAX_SAFE_INTEGER ? `${min} or more` : `${min} to ${max}`;
	const takes = `a whole number of ${unit}, ${range}`;
	return {
		takes,
		read: (value, flag) => {
			const number = /^\d+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
			if (Number.isSafeInteger(number) && number >= min && number <= max) return { ok: true, value: number };
			return { ok: false, message: `${flag} takes ${takes}, not ${shown(value)}` };
		},
	};
}

/** A duration in ms (`1s`, `500ms`, `2m`); `positive` refuses 0. */
function duration(positive: boolean): Reader<number> {
	return {
		takes: 'a duration like 1s, 500ms or 2m',
		read: (value, flag) => {
			const parsed = parseDuration(value, flag);
			if (!parsed.ok) return parsed;
			if (positive && parsed.ms === 0)
				return { ok: false, message: `${flag} takes a duration above 0, not "${value}"` };
			return { ok: true, value: parsed.ms };
		},
	};
}

/** An allocation's size in bytes (`10240`, `10k`, `1.5k`), for `--fit`. */
const allocationSize: Reader<number> = {
	takes: 'a size like 10240, 10k or 1m',
	read: (value, flag) => {
		const parsed = parseSize(value, flag);
		return parsed.ok ? { ok: true, value: parsed.bytes } : parsed;
	},
};

/** A heap size in bytes (`64k`, `1m`, `65536`). */
const heapSize: Reader<number> = {
	takes: 'a heap size like 65536, 64k or 1m',
	read: (value, flag) => {
		const parsed = parseHeapSize(value);
		return parsed.ok ? { ok: true, value: parsed.bytes } : { ok: false, message: `${flag} ${parsed.message}` };
	},
};

const live: readonly Context[] = ['board', 'demo', 'listening'];
const printing: readonly Context[] = [...live, 'inspect', 'replay', 'run', 'ports', 'imports', 'profile'];

/** The flags. A key is the flag in camelCase: `paceBaud` is `--pace-baud`. */
export const flagSpecs = {
	demo: toggle(['demo'], 'the emulated board: the real MicroPython VM, running a scenario'),
	list: toggle(['demo'], 'with --demo: list the demo scenarios'),
	port: option(
		'PORT',
		text('a serial port: a path, auto, a0, u0, c0, or socket://, rfc2217://, ws:// HOST:PORT'),
		['board', 'listening', 'imports', 'profile', 'run'],
		"the board: a path, auto, mpremote's a0, u0, c0, or\nsocket://HOST:PORT, rfc2217://HOST:PORT, ws://HOST:8266",
	),
	listen: toggle(['listening'], "watch a running program's own dumps; never writes to the board"),
	interrupt: toggle(
		['board', 'imports', 'profile', 'run'],
		'stop a program running on the board without asking (else: key i)',
	),
	heap: option(
		'SIZE',
		heapSize,
		['demo', 'run', 'imports', 'profile', 'emulate'],
		"emulated heap size (default 192k, a Raspberry Pi Pico's)",
	),
	once: toggle([...live, 'inspect', 'replay', 'run'], 'print one snapshot and exit, instead of the live screen'),
	json: toggle(printing, 'print JSON (schema in the README); with --interval, one object per line'),
	collect: toggle(['board', 'demo'], 'with --once or --json: gc.collect() before each snapshot'),
	fit: option(
		'SIZE',
		allocationSize,
		[...live, 'inspect', 'replay'],
		'would an allocation of SIZE (10240, 10k) fit, where, and what is in its way;\nexit 0 if it fits, 1 if not (with inspect, replay, --once or --json)',
	),
	interval: option(
		'TIME',
		duration(false),
		['board', 'demo', 'listen'],
		'auto-refresh (1s, 500ms; 0 for off); with --json, the time between lines\n(not with --listen: the program sets the pace of its dumps)',
	),
	timeout: option(
		'TIME',
		duration(true),
		['run', 'listening'],
		'with run: stop the script after this long (Ctrl-C stops it too);\nwith --listen --once or --json: the longest wait for a dump',
	),
	count: option('N', whole('lines', 1), live, 'with --json --interval (or --listen --json): stop after N lines'),
	record: option(
		'FILE',
		text('a file to append to'),
		live,
		'append each snapshot to FILE as one JSON line (replay it with heaptop replay)',
	),
	all: toggle(['inspect', 'replay'], 'with inspect or replay --once: every snapshot, not just the last'),
	path: option('DIR', text('a folder of .py files'), ['imports'], 'with imports: make the .py files in DIR importable'),
	fresh: toggle(
		['imports'],
		'with imports: a fresh emulated board for each module; on a board\n(--port), a soft reset before each import: the only time heaptop resets',
	),
	snippet: toggle(['listen'], 'with listen: print the lines to add to your program for --listen'),
	color: toggle(printing, 'no colour (also when NO_COLOR is set, or the output is not a terminal)', { default: true }),
	ascii: toggle(
		[...printing, 'listen', 'emulate'],
		'pure ASCII output: no box-drawing, block or other non-ASCII characters\n(also when the locale is not UTF-8)',
	),
	pty: option(
		'PATH',
		text('a path for the pseudo-terminal'),
		['emulate'],
		'where the board appears, e.g. /tmp/heaptop-board',
		{
			section: 'emulate',
		},
	),
	tcp: option(
		'HOST:PORT',
		text('HOST:PORT, e.g. 127.0.0.1:2217'),
		['emulate'],
		'serve the board on a TCP port (socket://)',
		{
			section: 'emulate',
		},
	),
	rfc2217: option(
		'ADDR',
		text('HOST:PORT, e.g. 127.0.0.1:2217'),
		['emulate'],
		'serve it on HOST:PORT as RFC 2217 telnet (rfc2217://), as ser2net',
		{ section: 'emulate' },
	),
	webrepl: option(
		'ADDR',
		text('HOST:PORT, e.g. 127.0.0.1:8266'),
		['emulate'],
		"serve it on HOST:PORT as an ESP board's WebREPL (ws://), with --password",
		{ section: 'emulate' },
	),
	password: option(
		'P',
		text('the WebREPL password'),
		['board', 'listening', 'imports', 'profile', 'run', 'emulate'],
		'the WebREPL password for ws:// (else WEBREPL_PASSWORD)',
	),
	circuitpython: toggle(['emulate'], 'play CircuitPython 9: no mem_info, code.py, a heap that grows', {
		section: 'emulate',
	}),
	memInfo: toggle(['emulate'], 'a minimal MicroPython build: no micropython.mem_info', {
		default: true,
		section: 'emulate',
	}),
	grow: toggle(['emulate'], 'a heap that grows in new areas, as on esp32', { section: 'emulate' }),
	busy: toggle(['emulate'], 'run a program that prints and ignores input until Ctrl-C', { section: 'emulate' }),
	rawPaste: toggle(['emulate'], 'answer as firmware before v1.14 (no raw paste)', {
		default: true,
		section: 'emulate',
	}),
	main: option('FILE', text('a Python file'), ['emulate'], 'run FILE like main.py before the REPL', {
		section: 'emulate',
	}),
	paceBaud: option('N', whole('baud', 1, 100_000_000), ['emulate'], 'send no faster than N baud', {
		section: 'emulate',
	}),
	cutAfter: option('N', whole('bytes', 1), ['emulate'], 'fault: stop answering after N bytes sent...', {
		section: 'emulate',
	}),
	cutFor: option('MS', whole('milliseconds', 1, 2 ** 31 - 1), ['emulate'], '...for MS milliseconds', {
		section: 'emulate',
	}),
	garbageAt: option('N', whole('bytes', 0), ['emulate'], 'fault: send line noise once N bytes are sent', {
		section: 'emulate',
	}),
} satisfies Record<string, SwitchSpec | ValueSpec<unknown>>;

export type FlagName = keyof typeof flagSpecs;
type Spec = SwitchSpec | ValueSpec<unknown>;

/** Each flag's value: a switch is true or false; a value is read (a duration in ms, a size in bytes) or absent. */
export type Flags = {
	[K in FlagName]: (typeof flagSpecs)[K] extends ValueSpec<infer T> ? T | undefined : boolean;
};

/** Two flags that cannot go together, and why, in words for the user. */
const conflicts: ReadonlyArray<[FlagName, FlagName, string]> = [
	['demo', 'listen', "--listen watches a real board's own dumps, --demo is the emulated board"],
	['demo', 'port', '--demo is the emulated board, --port a real one'],
	['listen', 'interrupt', '--listen never writes to the board'],
	['listen', 'collect', '--listen never writes to the board, so it cannot collect'],
	['heap', 'port', "--heap sizes the emulated board: a board's heap is its own"],
	['path', 'port', '--path installs files in the emulated board only: on a board, copy them there first'],
	['once', 'interval', '--once prints one snapshot and exits'],
	['once', 'count', '--once prints one snapshot; --count is for a --json stream'],
	['busy', 'main', '--busy runs its own program in place of --main'],
];

/** A flag that means something only beside another, and the line that says so. */
const needs: ReadonlyArray<{ flag: FlagName; met: (flags: Flags, context: Context) => boolean; message: string }> = [
	{
		flag: 'count',
		met: (flags, context) => flags.json && (context === 'listening' || flags.interval !== undefined),
		message: '--count needs --json --interval: it stops a JSON stream after N lines',
	},
	{
		flag: 'collect',
		met: (flags) => flags.once || flags.json,
		message: '--collect needs --once or --json (in the live screen, key g collects)',
	},
	{
		flag: 'timeout',
		met: (flags, context) => context !== 'listening' || flags.once || flags.json,
		message: '--timeout with --listen needs --once or --json: how long to wait for a dump',
	},
	{
		flag: 'timeout',
		met: (flags, context) => context !== 'run' || flags.port === undefined,
		message: '--timeout stops a script on the emulated board; on a board (--port), Ctrl-C stops it',
	},
	{
		flag: 'fit',
		met: (flags, context) => context === 'inspect' || context === 'replay' || flags.once || flags.json,
		message: '--fit needs --once or --json on a live heap: it answers for one snapshot',
	},
	{ flag: 'cutFor', met: (flags) => flags.cutAfter !== undefined, message: '--cut-for needs --cut-after' },
	{
		flag: 'interval',
		met: (flags, context) => context !== 'listen' || (flags.interval ?? 0) > 0,
		message: '--interval with listen --snippet is how often the program dumps: above 0',
	},
];

/** A flag that does one thing and stops, so that any other flag or word beside it would go unused. */
const alone: ReadonlyArray<{ flag: FlagName; allows: readonly FlagName[]; does: string }> = [
	{ flag: 'list', allows: ['demo', 'color'], does: '--list only lists the scenarios' },
];

/** What a command needs beyond its flags being right, checked last. */
const commandNeeds: ReadonlyArray<{ context: Context; met: (flags: Flags) => boolean; message: string }> = [
	{
		context: 'emulate',
		met: (flags) =>
			flags.pty !== undefined || flags.tcp !== undefined || flags.rfc2217 !== undefined || flags.webrepl !== undefined,
		message: 'emulate needs where to serve: --pty PATH, --tcp HOST:PORT, --rfc2217 HOST:PORT or --webrepl HOST:PORT',
	},
	{
		context: 'listen',
		met: (flags) => flags.snippet,
		message: 'to listen to a board: heaptop --listen --port PORT; for the code to add: heaptop listen --snippet',
	},
];

/** How many words follow each command, and the line for too few. */
const arity: Record<Context, { min: number; max: number; what: string; missing?: string }> = {
	board: { min: 0, max: 0, what: '' },
	listening: { min: 0, max: 0, what: '' },
	demo: { min: 0, max: 1, what: 'scenario' },
	inspect: { min: 1, max: 1, what: 'file', missing: 'inspect needs a file, or - for standard input' },
	replay: { min: 1, max: 1, what: 'recording', missing: 'replay needs a recording made with --record' },
	run: { min: 1, max: 1, what: 'script', missing: 'run needs a script, e.g. heaptop run main.py --heap 64k' },
	profile: { min: 1, max: 1, what: 'script', missing: 'profile needs a script, e.g. heaptop profile main.py' },
	imports: {
		min: 1,
		max: Number.POSITIVE_INFINITY,
		what: 'module',
		missing: 'imports needs at least one module name, e.g. heaptop imports json',
	},
	ports: { min: 0, max: 0, what: '' },
	listen: { min: 0, max: 0, what: '' },
	emulate: { min: 0, max: 0, what: '' },
};

/** The command line, read. */
export type CommandLine =
	| { kind: 'help' }
	| { kind: 'version' }
	/** One line for the user; exit 2. */
	| { kind: 'error'; message: string }
	| {
			kind: 'run';
			/** The command, or undefined for the live screen. */
			command: CommandName | undefined;
			context: Context;
			/** The words after the command (for `--demo`, the scenario). */
			args: string[];
			flags: Flags;
			/** The flags the user typed, default values aside. */
			given: ReadonlySet<FlagName>;
	  };

/** `paceBaud` → `pace-baud`. */
export function flagText(name: FlagName): string {
	return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

const specs: ReadonlyArray<[FlagName, Spec]> = Object.entries(flagSpecs) as Array<[FlagName, Spec]>;
const byText = new Map(specs.map(([name, spec]) => [flagText(name), { name, spec }]));

/** Edit distance with transpositions (`prot` is one step from `port`). */
function distance(a: string, b: string): number {
	const rows = Array.from({ length: a.length + 1 }, (_, i) =>
		Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
	);
	const at = (i: number, j: number) => rows[i]?.[j] ?? Number.POSITIVE_INFINITY;
	for (let i = 1; i <= a.length; i++) {
		for (let j = 1; j <= b.length; j++) {
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
			if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
			const row = rows[i];
			if (row) row[j] = best;
		}
	}
	return at(a.length, b.length);
}

/** The closest of `candidates` to `word`, if it is close enough to be what was meant. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
	let best: string | undefined;
	let bestDistance = Number.POSITIVE_INFINITY;
	for (const candidate of candidates) {
		const d = distance(word.toLowerCase(), candidate);
		if (d < bestDistance) {
			best = candidate;
			bestDistance = d;
		}
	}
	return bestDistance <= Math.max(1, Math.floor(word.length / 3)) ? best : undefined;
}

/** Every long form the user may type, for suggestions. */
function longForms(): string[] {
	const forms = ['help', 'version'];
	for (const [name, spec] of specs) {
		forms.push(flagText(name));
		if (spec.kind === 'switch' && spec.default) forms.push(`no-${flagText(name)}`);
	}
	return forms;
}

function unknownOption(typed: string): string {
	const name = typed.replace(/^-+/, '');
	const guess = typed.startsWith('--') ? closest(name, longForms()) : undefined;
	return guess === undefined
		? `unknown option ${typed}: see heaptop --help`
		: `unknown option ${typed} (did you mean --${guess}?)`;
}

/** Finds `--NAME` or `--no-NAME`. */
function lookup(name: string): { name: FlagName; spec: Spec; negated: boolean } | undefined {
	const direct = byText.get(name);
	if (direct) return { ...direct, negated: false };
	if (name.startsWith('no-')) {
		const base = byText.get(name.slice(3));
		if (base && base.spec.kind === 'switch' && base.spec.default) return { ...base, negated: true };
	}
	return undefined;
}

function listed(contexts: readonly Context[]): string {
	const names = contexts.map((context) => contextNames[context]);
	return names.length <= 2 ? names.join(' or ') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}

/**
 * Reads the command line (the words after `heaptop`). The first problem found is the result: unknown options
 * first, then values, then the command's words, then flags out of place and flags that cannot go together.
 * `--help`/`-h` and `--version`/`-v` win over anything else.
 */
export function parseCommandLine(argv: readonly string[]): CommandLine {
	const values: Record<string, unknown> = {};
	for (const [name, spec] of specs) values[name] = spec.kind === 'switch' ? spec.default : undefined;
	const given = new Set<FlagName>();
	const words: string[] = [];
	let problem: string | undefined;
	let help = false;
	let version = false;
	const fail = (message: string) => {
		problem ??= message;
	};

	for (let index = 0; index < argv.length; index++) {
		const arg = argv[index] ?? '';
		if (arg === '--') {
			words.push(...argv.slice(index + 1));
			break;
		}
		if (!arg.startsWith('-') || arg === '-') {
			words.push(arg);
			continue;
		}
		if (!arg.startsWith('--')) {
			if (arg === '-h') help = true;
			else if (arg === '-v') version = true;
			else fail(unknownOption(arg));
			continue;
		}
		const equals = arg.indexOf('=');
		const name = equals === -1 ? arg.slice(2) : arg.slice(2, equals);
		const inline = equals === -1 ? undefined : arg.slice(equals + 1);
		if (name === 'help' || name === 'version') {
			if (name === 'help') help = true;
			else version = true;
			continue;
		}
		const found = lookup(name);
		if (!found) {
			fail(unknownOption(`--${name}`));
			continue;
		}
		const typed = `--${flagText(found.name)}`;
		if (given.has(found.name)) fail(`${typed} is given twice`);
		given.add(found.name);
		const { spec } = found;
		if (spec.kind === 'switch') {
			if (inline !== undefined) fail(`--${name} takes no value, not "${inline}"`);
			values[found.name] = !found.negated;
			continue;
		}
		let raw = inline;
		if (raw === undefined) {
			const next = argv[index + 1];
			// A value may start with one dash (`-1s`, `-` for stdin) and is then read and judged as a value.
			if (next !== undefined && !next.startsWith('--')) {
				raw = next;
				index++;
			}
		}
		if (raw === undefined) {
			fail(`${typed} needs a value: ${spec.read.takes}`);
			continue;
		}
		const read = spec.read.read(raw, typed);
		if (read.ok) values[found.name] = read.value;
		else fail(read.message);
	}

	if (help) return { kind: 'help' };
	if (version) return { kind: 'version' };
	if (problem !== undefined) return { kind: 'error', message: problem };
	const flags = values as Flags;

	// The first word is the command; with --demo and no command, it is the scenario.
	const [first, ...rest] = words;
	let command: CommandName | undefined;
	let args: string[];
	let context: Context;
	if (first !== undefined && (commandNames as readonly string[]).includes(first)) {
		command = first as CommandName;
		context = command;
		args = rest;
	} else if (flags.demo || flags.list) {
		context = 'demo';
		args = words;
	} else if (first !== undefined) {
		const guess = closest(first, commandNames);
		return {
			kind: 'error',
			message:
				guess === undefined
					? `unknown command "${first}": see heaptop --help`
					: `unknown command "${first}" (did you mean ${guess}?)`,
		};
	} else {
		context = flags.listen ? 'listening' : 'board';
		args = [];
	}

	const shape = arity[context];
	if (args.length < shape.min)
		return { kind: 'error', message: shape.missing ?? `${contextNames[context]} needs more` };
	if (args.length > shape.max) {
		const extra = args[shape.max];
		return {
			kind: 'error',
			message:
				shape.max === 0
					? `${contextNames[context]} takes no ${command ? 'arguments' : 'command'} here, not "${extra}"`
					: `${contextNames[context]} takes one ${shape.what}; "${extra}" is one too many`,
		};
	}

	for (const [a, b, why] of conflicts) {
		if (given.has(a) && given.has(b)) {
			return { kind: 'error', message: `--${flagText(a)} and --${flagText(b)} cannot go together: ${why}` };
		}
	}
	for (const [name, spec] of specs) {
		if (!given.has(name) || spec.contexts.includes(context)) continue;
		const own = spec.refusedIn?.[context];
		const typed = spec.kind === 'switch' && spec.default ? `--no-${flagText(name)}` : `--${flagText(name)}`;
		return {
			kind: 'error',
			message: own ?? `${typed} does not go with ${contextNames[context]}; it is for ${listed(spec.contexts)}`,
		};
	}
	for (const rule of alone) {
		if (!given.has(rule.flag)) continue;
		const other = [...given].find((name) => name !== rule.flag && !rule.allows.includes(name));
		if (other !== undefined)
			return { kind: 'error', message: `${rule.does}: --${flagText(other)} does not go with it` };
		if (args[0] !== undefined) return { kind: 'error', message: `${rule.does}: "${args[0]}" does not go with it` };
	}
	for (const need of needs) {
		if (given.has(need.flag) && !need.met(flags, context)) return { kind: 'error', message: need.message };
	}
	for (const need of commandNeeds) {
		if (need.context === context && !need.met(flags)) return { kind: 'error', message: need.message };
	}
	return { kind: 'run', command, context, args, flags, given };
}

/** The `Options` lines of `--help` (or emulate's), from the table. */
export function optionLines(section: 'main' | 'emulate'): string[] {
	const lines: string[] = [];
	for (const [name, spec] of specs) {
		if ((spec.section ?? 'main') !== section) continue;
		const typed = spec.kind === 'switch' && spec.default ? `--no-${flagText(name)}` : `--${flagText(name)}`;
		const left = spec.kind === 'value' ? `${typed} ${spec.placeholder}` : typed;
		const [head, ...more] = spec.help.split('\n');
		lines.push(`    ${left.padEnd(19)}${head}`);
		for (const line of more) lines.push(`    ${' '.repeat(19)}${line}`);
	}
	return lines;
}
