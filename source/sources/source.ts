import type { HistoryPoint } from '../heap/analyze.js';
import type { HeapSnapshot } from '../heap/model.js';
import type { PortErrorKind } from '../link/link.js';

/**
 * The one interface every place a heap can come from implements, as mpremote has one Transport: the board
 * over serial, the emulated board, the passive listener, a file or a recording. The UI and the printers only
 * ever see this.
 */

/**
 * Where a source stands. `busy`: the board prints (a program runs) but gives no prompt. `not-answering`: not
 * one byte comes back; the source keeps trying by itself, with backoff, and is live again as soon as the line
 * answers. The two are told apart because the cure differs: a program needs `i`, a stall needs only time.
 */
export type SourceStatus = 'connecting' | 'live' | 'busy' | 'not-answering' | 'disconnected' | 'error';

/**
 * What went wrong, named; the screen and the CLI word it (the `message` is a plain default for printers).
 * `port` the link could not be opened (`port` says why); `busy` a program runs and was left alone;
 * `not-answering` silence; `disconnected` the link went away; `memory` the heap is too full or fragmented to
 * run even the snapshot command; `damaged` the answer was damaged on the way (noise, a cut, a reply that
 * would not end); `soft-reboot` the board reset its heap; `raised` the board raised something else;
 * `unreadable` the dump could not be parsed; `not-micropython` the raw REPL answers, but not as MicroPython
 * does; `passive` this source cannot read on demand; `closed` the source is closed or not started;
 * `failed` anything else.
 */
export type ProblemKind =
	| 'port'
	| 'busy'
	| 'not-answering'
	| 'disconnected'
	| 'memory'
	| 'damaged'
	| 'soft-reboot'
	| 'raised'
	| 'unreadable'
	| 'not-micropython'
	| 'passive'
	| 'closed'
	| 'failed';

/** A problem, named, with what the source knows about it. */
export type SourceProblem = {
	kind: ProblemKind;
	/** One line, a default wording. */
	message: string;
	/** For `port`: why the link could not be had. */
	port?: PortErrorKind;
	/** The link as the user named it, when there is one: "/dev/ttyACM0". */
	where?: string;
};

/** How `start()` went. */
export type StartOutcome = { ok: true } | { ok: false; problem: SourceProblem };

/** How `read()` went. */
export type ReadOutcome = { ok: true; reading: Reading } | { ok: false; problem: SourceProblem };

/**
 * A light reading: the GC's own two totals (`gc.mem_alloc()`, `gc.mem_free()`) from one short line, without a
 * collect and without the map, for the seconds between whole dumps on a slow link. `freeBytes` is what
 * `gc.mem_free()` says, which on a heap that grows (split-heap-auto) includes what it could still add.
 */
export type LightReading = { atMs: number; usedBytes: number; freeBytes: number };

/** How `readLight()` went. */
export type LightOutcome = { ok: true; light: LightReading } | { ok: false; problem: SourceProblem };

/** One reading of the heap, as the source took or found it. */
export type Reading = {
	snapshot: HeapSnapshot;
	/** Wall-clock time the dump was read, in ms since the epoch (from the source's clock). */
	atMs: number;
	/** True when a `gc.collect()` ran just before this dump. */
	afterCollect: boolean;
	/** Set when the frame around the dump was damaged (cut off, resynchronised): do not trust it as whole. */
	incomplete?: boolean;
};

/** What a source reports, in the order it happens. */
export type SourceEvent =
	| { type: 'status'; status: SourceStatus; message?: string; problem?: ProblemKind }
	/**
	 * A dump streaming in: bytes so far, the size expected (the previous dump's, when there was one) and, when
	 * the streaming parser can give one, the snapshot of the rows read so far.
	 */
	| { type: 'progress'; receivedBytes: number; expectedBytes?: number; partial?: HeapSnapshot }
	| { type: 'reading'; reading: Reading }
	/** A light reading (see `LightReading`), newer than the last whole one. */
	| { type: 'light'; light: LightReading }
	/** Program or console output that is not a dump. Control and escape sequences are already removed. */
	| { type: 'output'; text: string; stream: 'stdout' | 'stderr' }
	/**
	 * A problem the user should see in one line; the source carries on when it can. `problem` names it when the
	 * screen acts on it (`soft-reboot`: the heap was reset, so the history starts a new segment).
	 */
	| { type: 'problem'; message: string; problem?: ProblemKind };

/** A step of a built-in demo scenario, for the caption line. */
export type ScenarioStep = {
	scenario: string;
	title: string;
	/** 1-based index of the step that ran last; 0 before the first. */
	step: number;
	steps: number;
	caption: string;
};

/** Demo controls, offered only by the emulated board running a scenario. */
export type ScenarioControls = {
	list(): { name: string; title: string }[];
	current(): ScenarioStep;
	/** Runs the next step; after the last it starts the scenario again. */
	next(): Promise<void>;
	/** Switches to the scenario at `index` (0-based) and runs its first step. */
	choose(index: number): Promise<void>;
};

/**
 * Replay controls, offered only by a recording opened for replay: the recording is a sequence of readings
 * and a cursor on one of them. Moving the cursor emits the reading it lands on as a `reading` event. Only
 * the figures of every reading are kept; a whole reading (its snapshot) is made when asked for.
 */
export type ReplayControls = {
	/**
	 * The figures of every reading, oldest first, one per reading (so its length is the number of readings):
	 * enough for the sparklines and the play pace. Empty until `start()` has loaded the recording.
	 */
	points(): readonly HistoryPoint[];
	/**
	 * The whole reading at `index`, parsed again from the recording; the last two asked for are kept, so the
	 * one shown and the one before it (the diff's) cost nothing. Undefined outside the recording, or when the
	 * file no longer holds it (why arrives as a `problem`).
	 */
	reading(index: number): Reading | undefined;
	/** 0-based index of the reading shown (the last one emitted); -1 before the recording is loaded. */
	cursor(): number;
	/**
	 * Moves the cursor to `index`, kept inside the recording, and emits that reading, unless it is shown
	 * already. Returns the index now shown; -1 when the recording has no readings.
	 */
	seek(index: number): number;
};

/**
 * A heap source. Methods never throw for device trouble: `start()` and `read()` resolve to typed outcomes, and
 * events are for what nobody asked for (an unplug, a program's output, a status change).
 */
export type HeapSource = {
	/** One line for the header: "emulated MicroPython v1.27 · 192 KiB heap", "/dev/ttyACM0 · MicroPython v1.22.1 on rp2". */
	describe(): string;
	/**
	 * Connects, or loads; resolves once the source can take readings, or with the problem that stops it. Calling
	 * it again returns the same outcome (the first call's promise): starting is idempotent. It does not block
	 * the caller's screen: a board reports `connecting` at once and the rest as status events.
	 */
	start(): Promise<StartOutcome>;
	/** Subscribes to events; returns the unsubscribe function. */
	subscribe(listener: (event: SourceEvent) => void): () => void;
	/** Passive sources (listen, replay) cannot take a reading on demand. */
	readonly canRead: boolean;
	/**
	 * Takes a reading now, after `gc.collect()` when `collect` is true. The reading is also emitted as an
	 * event. When none could be taken, resolves with the problem.
	 */
	read(options: { collect: boolean }): Promise<ReadOutcome>;
	/**
	 * A board only: a light reading now (one short line, no map), also emitted as a `light` event. For
	 * auto-refresh between whole dumps that take long (refresh-policy.ts).
	 */
	readLight?(): Promise<LightOutcome>;
	/** Present only on the emulated board running a scenario. */
	readonly scenario?: ScenarioControls;
	/** Present only on a recording opened for replay. */
	readonly replay?: ReplayControls;
	/** A board only: stops the program it is running (Ctrl-C) and takes it over. Acts only when `busy`. */
	interrupt?(): Promise<void>;
	/**
	 * A board only: the largest `bytearray` that can be allocated now, found by bisecting sizes after a
	 * collect. A probe: it allocates on the heap it measures. Undefined when it could not run.
	 */
	probeLargestBlock?(): Promise<number | undefined>;
	/**
	 * What the heap belongs to, for `--once --json`'s `board`: undefined until the board said, and for sources
	 * that are no board (a file, a recording).
	 */
	identity?(): BoardIdentity | undefined;
	/** Releases everything: leaves the raw REPL, closes the port, stops timers. Safe to call twice. */
	close(): Promise<void>;
};

/**
 * A board as a script needs to tell it: `implementation` `micropython` or `circuitpython` (the emulator says
 * `micropython`, its link `emulator`), the version and machine it reports, and how heaptop reached it.
 */
export type BoardIdentity = {
	implementation: string;
	version: string;
	/** `sys.implementation._machine`; empty when the firmware does not say. */
	machine: string;
	/** `sys.platform`. */
	platform: string;
	/** `serial`, `tcp`, `rfc2217`, `webrepl`, or `emulator`. */
	link: string;
	/** The port as the user named it; absent for the emulator. */
	port?: string;
};
