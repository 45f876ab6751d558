import { asciiBytes, ByteBuffer, ByteTail, concatBytes } from './bytes.js';

/**
 * The host side of MicroPython's raw REPL and raw-paste mode (protocol.md §3), as a state machine fed byte
 * chunks. It never touches a port or a timer: the caller writes the bytes it returns, passes the time with
 * every call, and calls `tick` at `deadlineMs()`. So it can be driven by a transcript, split at any byte.
 *
 * It never sends Ctrl-D on an empty raw buffer (that soft-resets the board and wipes the heap the user came
 * to see), and never sends Ctrl-C to a program it did not start unless asked (`connect({interrupt})` or
 * `interrupt()`).
 */

/** Control bytes, host to device (protocol.md §1). */
const CTRL_A = 0x01; // friendly → raw REPL; in raw: discard the line and re-print the banner
const CTRL_B = 0x02; // raw → friendly REPL
const CTRL_C = 0x03; // interrupt running code; at a prompt: cancel the line
const CTRL_D = 0x04; // raw: execute the buffer (soft reset when it is empty!); raw-paste: end of data
const CTRL_E = 0x05; // first byte of the raw-paste request

/** What the device prints once it is in raw mode and waiting for code. */
const RAW_BANNER = asciiBytes('raw REPL; CTRL-B to exit\r\n>');
/** `MPY: soft reboot`, `PYB: soft reboot` (before v1.11) and CircuitPython's bare `soft reboot` all end so. */
const SOFT_REBOOT = asciiBytes('soft reboot\r\n');
/** The end of MicroPython's friendly banner: the board was reset into the friendly REPL. */
const FRIENDLY_BANNER_END = asciiBytes('for more information.\r\n>>> ');
const FRIENDLY_PROMPT = asciiBytes('>>> ');
const FRAME_END = new Uint8Array([CTRL_D, 0x3e]); // `\x04>`: the end of a frame, found again after damage
const OK = asciiBytes('OK');
/** The bytes that end a stdout run (see `plainRun`): Ctrl-D, and the last byte of each marker `checkResets` seeks. */
const STDOUT_STOPS = new Uint8Array(256);
for (const marker of [SOFT_REBOOT, RAW_BANNER, FRIENDLY_BANNER_END]) STDOUT_STOPS[marker.at(-1) as number] = 1;
STDOUT_STOPS[CTRL_D] = 1;
const R = 0x52;
const PROMPT = 0x3e; // `>`

/** Where the client stands. */
export type RawReplPhase =
	/** Nothing known yet: before `connect`, or after leaving timed out. */
	| 'unknown'
	/** A command of ours stopped answering, or the raw REPL could not be entered after an interrupt. */
	| 'lost'
	/** Sent `\r\x01` to a board in an unknown state; waiting for the raw banner. */
	| 'probing'
	/** Sent `\r\x03`; draining what the interrupted program prints. */
	| 'interrupting'
	/** Sent `\r\x01` after an interrupt; waiting for the raw banner. */
	| 'entering'
	/** The probe got no prompt back: a program is running. Nothing is sent until `interrupt()`. */
	| 'busy'
	/** At the raw prompt `>`, ready for `exec`. */
	| 'raw-idle'
	/** Sent Ctrl-D on the empty raw buffer when asked to (`softReset`); waiting for the reboot and the banner. */
	| 'resetting'
	| 'paste-request'
	| 'paste-window'
	| 'paste-refused'
	| 'paste-sending'
	| 'paste-ack'
	| 'classic-sending'
	| 'await-ok'
	| 'stdout'
	| 'exception'
	| 'await-prompt'
	/** The frame was damaged; reading on to the next `\x04>` or raw banner. */
	| 'resync'
	/**
	 * Our command printed more than `maxOutputBytes`: it was sent Ctrl-C and what it still prints is thrown away,
	 * keeping only a short tail, until the raw prompt comes back. Memory stays bounded even if it never does.
	 */
	| 'discard'
	/** Interrupting our own command before leaving. */
	| 'leave-drain'
	/** Sent `\r\x02`; waiting for the friendly prompt. */
	| 'leaving'
	/** At the friendly `>>> ` prompt. */
	| 'friendly';

/** Why a command's output cannot be trusted as whole. */
export type RawExecProblem =
	/** Bytes that are not part of the protocol came before the frame (garbage on the line). */
	| 'noise'
	/** The frame did not end as it should: a `0x04` in program output, or bytes where `>` belongs. */
	| 'framing'
	/** The board soft-rebooted during the command (`sys.exit()`, a watchdog): its heap was reset. */
	| 'soft-reboot'
	/** The board came back at the friendly prompt (a hard reset) during the command. */
	| 'friendly-prompt'
	/** The output stopped in the middle, or came too slowly ever to end (cut line, hung board, a trickle). */
	| 'timeout'
	/** The command printed more than `maxOutputBytes`; it was interrupted and the rest thrown away. */
	| 'overflow';

/** What one command printed. */
export type RawExecResult = {
	/** Program output. When `complete` is false, every byte seen after the frame start, `0x04`s included. */
	stdout: Uint8Array;
	/** The uncaught exception's traceback; empty when there was none (or the frame was damaged). */
	exception: Uint8Array;
	/** True only when the frame was intact from start to the trailing `>`. */
	complete: boolean;
	problem?: RawExecProblem;
	/** How the code went in. */
	mode: 'raw-paste' | 'classic';
};

/** What happened, in order. */
export type RawReplEvent =
	/** At the raw prompt. */
	| { type: 'raw-repl' }
	/** The probe got bytes back but no prompt: a program is running and was left alone. */
	| { type: 'busy' }
	/** The probe got no byte back at all: the line or the board is silent. Phase is `unknown` again. */
	| { type: 'no-answer' }
	/** The board was in paste mode (`=== `); Ctrl-C left it, throwing away whatever had been pasted. */
	| { type: 'paste-cancelled' }
	/**
	 * Our command's output so far, once per chunk that added to it: the count, and the bytes this chunk added
	 * (so that a dump can be parsed as it streams in).
	 */
	| { type: 'progress'; stdoutBytes: number; bytes: Uint8Array }
	/** A streamed command's output as it arrives (`exec` with `stream`); it is not kept for the result. */
	| { type: 'stdout'; bytes: Uint8Array }
	/** At the friendly prompt (after `leave`, or the board reset into it). */
	| { type: 'friendly-prompt' }
	/** The board printed a soft reboot banner: the Python heap was reset. */
	| { type: 'soft-reboot' }
	/** Console bytes outside any command frame: program output, echo, boot logs, noise. */
	| { type: 'output'; bytes: Uint8Array }
	/** Whether the board offers raw-paste, learnt on the first command. */
	| { type: 'raw-paste'; supported: boolean }
	| { type: 'result'; result: RawExecResult }
	/** No raw banner within `enterTimeoutMs` after an interrupt. */
	| { type: 'enter-failed' };

/** What to write, and what happened, after one call. */
export type RawReplStep = { writes: Uint8Array[]; events: RawReplEvent[] };

/** Timing and behaviour; every value has a default taken from mpremote or the protocol notes. */
export type RawReplOptions = {
	/** Wait this long after the probe for a prompt before calling the board busy. Default 1500. */
	probeTimeoutMs?: number;
	/** Overall limit for the raw banner after an interrupt (mpremote: 10 s). Default 10000. */
	enterTimeoutMs?: number;
	/** After Ctrl-C with no prompt in sight, this much quiet counts as drained. Default 200. */
	drainQuietMs?: number;
	/** Silence inside a command's output that counts as a cut line. Default 5000. */
	inactivityTimeoutMs?: number;
	/**
	 * A reply that trickles: fewer than `minProgressBytes` (default 64) in `trickleTimeoutMs` (default 10000),
	 * while it has not ended, counts as a cut line too. Without it, a board sending a byte a second (a bad
	 * cable, a hostile firmware) would keep a 7 KB dump going for two hours: silence alone never comes. A real
	 * link is far faster (300 baud brings 300 bytes in 10 s), and a reply shorter than that ends within it.
	 */
	trickleTimeoutMs?: number;
	minProgressBytes?: number;
	/**
	 * The most one command may print (its frame, output and traceback) before it is interrupted and the rest
	 * thrown away. Default 2 MiB: a dump of an 8 MiB PSRAM heap is about 600 KB (protocol.md §11.2).
	 */
	maxOutputBytes?: number;
	/** How long leaving waits for our own interrupted command to end before sending Ctrl-B anyway. Default 500. */
	leaveDrainMaxMs?: number;
	/** At a friendly or continuation prompt that did not switch to raw, try again after this. Default 300. */
	promptRetryMs?: number;
	/** Classic raw mode has no flow control: write this many bytes… (mpremote: 256) */
	chunkBytes?: number;
	/** …every this many ms (mpremote: 10). */
	chunkIntervalMs?: number;
	/**
	 * `always` (default) sends every command by raw-paste when the board offers it: code sent in classic raw
	 * mode grows the firmware's raw-REPL line buffer for the rest of the session (protocol.md §11.4), which
	 * would show up in every later `used` as if it were the user's. `auto` uses classic mode for code up to one
	 * chunk (a round trip less); `never` always uses classic mode.
	 */
	rawPaste?: 'auto' | 'always' | 'never';
};

/**
 * How one command runs. `stream` is for a user's program (`heaptop run --port`): its output arrives as
 * `stdout` events and is not kept, so it may print without end; it may also be silent for as long as it
 * likes (no inactivity timeout while it runs). Only its traceback is kept, within `maxOutputBytes`.
 */
export type RawExecOptions = { stream?: boolean };

/** The client. Every method returns the bytes to write, in order, and the events. */
export type RawReplClient = {
	readonly phase: RawReplPhase;
	/** Whether raw-paste works on this board; undefined until the first command asked. */
	readonly rawPasteSupported: boolean | undefined;
	/**
	 * Gets to the raw prompt. Without `interrupt`, sends only `\r\x01` and reports `busy` if no prompt comes
	 * back; with it, first stops whatever runs (`\r\x03`, drain, `\r\x01`, as mpremote does).
	 */
	connect(nowMs: number, options?: { interrupt?: boolean; probeTimeoutMs?: number }): RawReplStep;
	/** Stops the running program (Ctrl-C) and enters the raw REPL. */
	interrupt(nowMs: number): RawReplStep;
	/**
	 * Runs `code` from the raw prompt. Throws RangeError for empty code or code with control bytes 0x01–0x05,
	 * which would break the framing (and an empty buffer would soft-reset the board), or when not at the prompt.
	 */
	exec(code: string | Uint8Array, nowMs: number, options?: RawExecOptions): RawReplStep;
	/** Leaves the raw REPL with Ctrl-B (stopping our own command first if one runs). Safe in any phase. */
	leave(nowMs: number): RawReplStep;
	/**
	 * Soft-resets the board from the raw prompt (Ctrl-D on the empty buffer, §3.3), which wipes its Python heap.
	 * Only for a user who asked for it. Ends with `soft-reboot` and `raw-repl` events, or `enter-failed`.
	 */
	softReset(nowMs: number): RawReplStep;
	/** Feeds bytes read from the board. */
	push(chunk: Uint8Array, nowMs: number): RawReplStep;
	/** Lets time pass: timeouts, paced chunks, retries. Call at `deadlineMs()`. */
	tick(nowMs: number): RawReplStep;
	/** When `tick` next has something to do, or undefined. */
	deadlineMs(): number | undefined;
};

const framePhases: ReadonlySet<RawReplPhase> = new Set<RawReplPhase>([
	'paste-request',
	'paste-window',
	'paste-refused',
	'paste-sending',
	'paste-ack',
	'classic-sending',
	'await-ok',
	'stdout',
	'exception',
	'await-prompt',
	'resync',
	'discard',
]);

/** True while a command of ours is on its way or running. */
export function isCommandPhase(phase: RawReplPhase): boolean {
	return framePhases.has(phase);
}

/** Validates code for the raw REPL and returns its bytes (UTF-8). */
function codeBytes(code: string | Uint8Array): Uint8Array {
	const bytes = typeof code === 'string' ? new TextEncoder().encode(code) : code;
	if (bytes.length === 0) {
		// Ctrl-D on an empty raw buffer is a soft reset: refuse rather than wipe the user's heap.
		throw new RangeError('refusing to send empty code: Ctrl-D on an empty raw REPL buffer soft-resets the board');
	}
	for (const byte of bytes) {
		if (byte >= CTRL_A && byte <= CTRL_E) {
			throw new RangeError(`code contains control byte 0x0${byte.toString(16)}, which would break raw REPL framing`);
		}
	}
	return bytes;
}

/** Creates a raw REPL client in phase `unknown`. */
export function createRawReplClient(options: RawReplOptions = {}): RawReplClient {
	const probeTimeoutMs = options.probeTimeoutMs ?? 1500;
	const enterTimeoutMs = options.enterTimeoutMs ?? 10_000;
	const drainQuietMs = options.drainQuietMs ?? 200;
	const inactivityTimeoutMs = options.inactivityTimeoutMs ?? 5000;
	const trickleTimeoutMs = options.trickleTimeoutMs ?? 10_000;
	const minProgressBytes = options.minProgressBytes ?? 64;
	const promptRetryMs = options.promptRetryMs ?? 300;
	const chunkBytes = options.chunkBytes ?? 256;
	const chunkIntervalMs = options.chunkIntervalMs ?? 10;
	const maxOutputBytes = options.maxOutputBytes ?? 2 * 1024 * 1024;
	const leaveDrainMaxMs = options.leaveDrainMaxMs ?? 500;
	let probeWindowMs = probeTimeoutMs;
	// Bytes heard since the probe: none at all is a silent line, some without a prompt a running program.
	let probeHeardBytes = 0;
	let promptRetries = 0;
	// Bytes of the command's frame so far, to bound what one command may make us hold.
	let frameBytes = 0;
	let progressReported = 0;
	// The command in flight streams its output instead of keeping it.
	let streaming = false;
	const streamed = new ByteBuffer();

	let phase: RawReplPhase = 'unknown';
	let rawPasteSupported: boolean | undefined = options.rawPaste === 'never' ? false : undefined;
	const tail = new ByteTail(64);
	let lastActivityMs = 0;
	let phaseStartMs = 0;
	// When the command in flight last made progress (our own write, or `minProgressBytes` from the board),
	// and what has come since.
	let progressAtMs = 0;
	let bytesSinceProgress = 0;

	// The command in flight.
	let data: Uint8Array = new Uint8Array(0);
	let sentBytes = 0;
	let windowIncrement = 0;
	let windowRemaining = 0;
	const windowBytes: number[] = [];
	let pasteReplyBytes = 0;
	let nextChunkAtMs = 0;
	let mode: RawExecResult['mode'] = 'classic';
	let problem: RawExecProblem | undefined;
	const stdout = new ByteBuffer();
	const exception = new ByteBuffer();
	const frameRaw = new ByteBuffer();
	let pendingLeave = false;

	// What this call produces.
	let writes: Uint8Array[] = [];
	let events: RawReplEvent[] = [];
	const output = new ByteBuffer();

	function flushOutput(): void {
		if (streamed.length > 0) {
			events.push({ type: 'stdout', bytes: streamed.bytes() });
			streamed.clear();
		}
		if (output.length > 0) {
			events.push({ type: 'output', bytes: output.bytes() });
			output.clear();
		}
	}

	function emit(event: RawReplEvent): void {
		flushOutput();
		events.push(event);
	}

	function write(bytes: Uint8Array | number[], nowMs: number): void {
		writes.push(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes));
		lastActivityMs = nowMs;
		progressAtMs = nowMs;
		bytesSinceProgress = 0;
	}

	function setPhase(next: RawReplPhase, nowMs: number): void {
		phase = next;
		phaseStartMs = nowMs;
	}

	function finish(): RawReplStep {
		flushOutput();
		const step = { writes, events };
		writes = [];
		events = [];
		return step;
	}

	/** A prompt the board is sitting at, judged from the tail, ignoring echo padding. */
	function promptAtTail(): 'friendly' | 'continuation' | 'paste' | undefined {
		// Paste mode echoes every byte, our Ctrl-A included, after its `=== ` prompt (protocol.md §11.4).
		for (let echoed = 0; echoed <= 4; echoed++) {
			if (tail.endsWith(asciiBytes(`\n=== ${'\x01'.repeat(echoed)}`))) return 'paste';
		}
		// Auto-indent and Ctrl-A-as-Home leave spaces and backspaces after `... `.
		for (const marker of ['>>>', '...']) {
			for (let pad = 1; pad <= 12; pad++) {
				const bytes = asciiBytes(`\n${marker}${' '.repeat(pad)}`);
				if (tail.endsWith(bytes)) return marker === '>>>' ? 'friendly' : 'continuation';
			}
			if (tail.endsWith(asciiBytes(`${marker}     \b\b\b\b`)) || tail.endsWith(asciiBytes(`${marker} \b`))) {
				return 'continuation';
			}
		}
		return undefined;
	}

	function startCommand(nowMs: number): void {
		problem = undefined;
		frameBytes = 0;
		progressReported = 0;
		stdout.clear();
		exception.clear();
		frameRaw.clear();
		sentBytes = 0;
		windowBytes.length = 0;
		const short = data.length <= chunkBytes && options.rawPaste === 'auto';
		if (rawPasteSupported === false || short) {
			startClassic(nowMs);
		} else {
			mode = 'raw-paste';
			// Ctrl-E `A` Ctrl-A: the raw-paste request (§3.5).
			write([CTRL_E, 0x41, CTRL_A], nowMs);
			pasteReplyBytes = 0;
			setPhase('paste-request', nowMs);
		}
	}

	function startClassic(nowMs: number): void {
		mode = 'classic';
		sentBytes = 0;
		setPhase('classic-sending', nowMs);
		sendClassicChunk(nowMs);
	}

	function sendClassicChunk(nowMs: number): void {
		const chunk = data.subarray(sentBytes, sentBytes + chunkBytes);
		sentBytes += chunk.length;
		if (sentBytes >= data.length) {
			// Ctrl-D: execute the buffer, which is not empty (codeBytes made sure).
			write(concatBytes([chunk, new Uint8Array([CTRL_D])]), nowMs);
			setPhase('await-ok', nowMs);
		} else {
			write(chunk.slice(), nowMs);
			// No flow control in classic raw mode: pace the chunks as mpremote does.
			nextChunkAtMs = nowMs + chunkIntervalMs;
		}
	}

	function sendPasteData(nowMs: number): void {
		if (windowRemaining > 0 && sentBytes < data.length) {
			const chunk = data.slice(sentBytes, sentBytes + windowRemaining);
			sentBytes += chunk.length;
			windowRemaining -= chunk.length;
			write(chunk, nowMs);
		}
		if (sentBytes >= data.length) {
			// Ctrl-D: end of data in raw-paste mode.
			write([CTRL_D], nowMs);
			setPhase('paste-ack', nowMs);
		}
	}

	function endCommand(complete: boolean, next: RawReplPhase, nowMs: number): void {
		const intact = complete && problem === undefined;
		const result: RawExecResult = intact
			? { stdout: stdout.bytes(), exception: exception.bytes(), complete: true, mode }
			: {
					stdout: frameRaw.bytes(),
					exception: new Uint8Array(0),
					complete: false,
					problem: problem ?? 'framing',
					mode,
				};
		setPhase(next, nowMs);
		emit({ type: 'result', result });
		if (next === 'friendly') emit({ type: 'friendly-prompt' });
		if (pendingLeave) {
			pendingLeave = false;
			if (next === 'raw-idle') leaveNow(nowMs);
		}
	}

	function leaveNow(nowMs: number): void {
		// `\r` first, as mpremote does: raw mode just buffers it. Ctrl-B: back to the friendly REPL.
		write([0x0d, CTRL_B], nowMs);
		setPhase('leaving', nowMs);
	}

	function markProblem(next: RawExecProblem): void {
		// The first problem is the cause and later ones follow from it, except a soft reboot: whatever else
		// happened, the heap was reset, and that is what the user must hear.
		if (next === 'soft-reboot') problem = next;
		else problem ??= next;
	}

	/** Checks the tail for resets that can happen in any phase. Returns true when the byte was consumed. */
	function checkResets(nowMs: number): boolean {
		if (tail.endsWith(SOFT_REBOOT)) {
			emit({ type: 'soft-reboot' });
			if (isCommandPhase(phase)) {
				markProblem('soft-reboot');
				setPhase('resync', nowMs);
			}
		}
		if (tail.endsWith(RAW_BANNER)) {
			if (isCommandPhase(phase)) {
				if (phase === 'paste-request') return false; // old firmware's answer, handled there
				markProblem('framing');
				endCommand(false, 'raw-idle', nowMs);
				return true;
			}
			const wasRaw = phase === 'raw-idle';
			setPhase('raw-idle', nowMs);
			if (!wasRaw) emit({ type: 'raw-repl' });
			if (pendingLeave) {
				pendingLeave = false;
				leaveNow(nowMs);
			}
			return true;
		}
		if (tail.endsWith(FRIENDLY_BANNER_END)) {
			if (isCommandPhase(phase)) {
				markProblem('friendly-prompt');
				endCommand(false, 'friendly', nowMs);
				return true;
			}
			if (phase === 'raw-idle' || phase === 'leaving' || phase === 'leave-drain') {
				setPhase('friendly', nowMs);
				emit({ type: 'friendly-prompt' });
				return true;
			}
		}
		return false;
	}

	function overflow(nowMs: number): void {
		markProblem('overflow');
		// Ctrl-C stops our own command; what it prints meanwhile is read and dropped, never kept.
		write([CTRL_C], nowMs);
		endCommand(false, 'discard', nowMs);
	}

	/**
	 * How many bytes from `from` on need nothing of `onByte` but to be kept: in the stdout phase, a byte that is
	 * neither Ctrl-D nor the last byte of a marker `checkResets` looks for does nothing else, so a run of them is
	 * taken whole. A dump is nearly all such runs, and `onByte` for each of its bytes was most of reading it.
	 * The run stops short of the output limit, so that the byte crossing it goes through `onByte`.
	 */
	function plainRun(chunk: Uint8Array, from: number): number {
		const limit = Math.min(chunk.length, from + Math.max(0, maxOutputBytes - frameBytes));
		let end = from;
		while (end < limit && !STDOUT_STOPS[chunk[end] as number]) end++;
		return end - from;
	}

	/** What `onByte` does for each byte of a plain run in the stdout phase, done for the run at once. */
	function takeStdoutRun(run: Uint8Array): void {
		tail.append(run);
		frameBytes += run.length;
		frameRaw.append(run);
		stdout.append(run);
	}

	function onByte(byte: number, nowMs: number): void {
		tail.push(byte);
		if (phase === 'probing') probeHeardBytes++;
		if (phase === 'discard') {
			if (tail.endsWith(FRAME_END) || tail.endsWith(RAW_BANNER)) {
				setPhase('raw-idle', nowMs);
				emit({ type: 'raw-repl' });
			} else if (tail.endsWith(FRIENDLY_BANNER_END)) {
				setPhase('friendly', nowMs);
				emit({ type: 'friendly-prompt' });
			}
			return;
		}
		if (isCommandPhase(phase) && !(streaming && phase === 'stdout')) {
			frameBytes++;
			if (frameBytes > maxOutputBytes) {
				overflow(nowMs);
				return;
			}
			frameRaw.push(byte);
		}
		switch (phase) {
			case 'paste-request': {
				pasteReplyBytes++;
				if (tail.endsWith(new Uint8Array([R, 0x01]))) {
					if (pasteReplyBytes > 2) markProblem('noise');
					rawPasteSupported = true;
					emit({ type: 'raw-paste', supported: true });
					setPhase('paste-window', nowMs);
					return;
				}
				if (tail.endsWith(new Uint8Array([R, 0x00]))) {
					if (pasteReplyBytes > 2) markProblem('noise');
					// Understood but refused; the `>` prompt follows.
					rawPasteSupported = false;
					emit({ type: 'raw-paste', supported: false });
					setPhase('paste-refused', nowMs);
					return;
				}
				if (tail.endsWith(RAW_BANNER)) {
					if (pasteReplyBytes > RAW_BANNER.length) markProblem('noise');
					// Old firmware took Ctrl-E and `A` as code and Ctrl-A as "reset": banner, prompt, classic mode.
					rawPasteSupported = false;
					emit({ type: 'raw-paste', supported: false });
					startClassic(nowMs);
					return;
				}
				break;
			}
			case 'paste-window': {
				windowBytes.push(byte);
				if (windowBytes.length === 2) {
					// Unsigned 16-bit little-endian window increment.
					windowIncrement = Math.max(1, (windowBytes[0] ?? 0) | ((windowBytes[1] ?? 0) << 8));
					windowRemaining = windowIncrement;
					setPhase('paste-sending', nowMs);
					sendPasteData(nowMs);
				}
				return;
			}
			case 'paste-sending': {
				if (byte === 0x01) {
					windowRemaining += windowIncrement;
					sendPasteData(nowMs);
				} else if (byte === CTRL_D) {
					// The device ended early (compile error, Ctrl-C): acknowledge with Ctrl-D and send nothing more.
					write([CTRL_D], nowMs);
					setPhase('stdout', nowMs);
				} else {
					markProblem('framing');
				}
				return;
			}
			case 'paste-ack': {
				if (byte === CTRL_D) setPhase('stdout', nowMs);
				else if (byte !== 0x01) markProblem('noise'); // 0x01 is window credit we no longer need
				return;
			}
			case 'paste-refused': {
				if (byte === PROMPT) startClassic(nowMs);
				else markProblem('noise');
				return;
			}
			case 'classic-sending':
			case 'await-ok': {
				if (tail.endsWith(OK)) {
					if (phase === 'classic-sending') markProblem('framing');
					setPhase('stdout', nowMs);
					return;
				}
				if (byte !== 0x4f /* `O` */) markProblem('noise');
				break;
			}
			case 'stdout': {
				if (byte === CTRL_D) setPhase('exception', nowMs);
				else if (streaming) streamed.push(byte);
				else stdout.push(byte);
				break;
			}
			case 'exception': {
				if (byte === CTRL_D) setPhase('await-prompt', nowMs);
				else exception.push(byte);
				break;
			}
			case 'await-prompt': {
				if (byte === PROMPT) {
					endCommand(true, 'raw-idle', nowMs);
					return;
				}
				// A `0x04` in program output, or a reboot after `sys.exit()`: the frame cannot be trusted.
				markProblem('framing');
				setPhase('resync', nowMs);
				break;
			}
			case 'resync': {
				if (tail.endsWith(FRAME_END)) {
					endCommand(false, 'raw-idle', nowMs);
					return;
				}
				break;
			}
			case 'interrupting': {
				output.push(byte);
				if (checkResets(nowMs)) return;
				// A prompt, or the end of an interrupted raw command: the board is listening again.
				if (tail.endsWith(FRIENDLY_PROMPT) || tail.endsWith(FRAME_END)) enterAfterDrain(nowMs);
				return;
			}
			case 'leave-drain': {
				output.push(byte);
				if (checkResets(nowMs)) return;
				if (tail.endsWith(FRAME_END)) leaveNow(nowMs);
				return;
			}
			default:
				output.push(byte);
		}
		checkResets(nowMs);
	}

	function onTimeout(nowMs: number): void {
		switch (phase) {
			case 'probing':
			case 'entering': {
				const overall = phase === 'probing' ? probeWindowMs : enterTimeoutMs;
				if (nowMs >= phaseStartMs + overall) {
					if (phase === 'probing' && probeHeardBytes === 0) {
						setPhase('unknown', nowMs);
						emit({ type: 'no-answer' });
					} else if (phase === 'probing') {
						setPhase('busy', nowMs);
						emit({ type: 'busy' });
					} else {
						setPhase('lost', nowMs);
						emit({ type: 'enter-failed' });
					}
					return;
				}
				const prompt = promptAtTail();
				if (prompt && nowMs >= lastActivityMs + promptRetryMs) {
					// A prompt is proof that no program runs: the window starts again, so that a slow board getting out
					// of paste mode or a continuation line is not taken for a busy one. Bounded by the retries.
					if (phase === 'probing' && promptRetries < 6) {
						promptRetries++;
						phaseStartMs = nowMs;
					}
					if (prompt === 'friendly') {
						write([0x0d, CTRL_A], nowMs);
					} else if (prompt === 'paste') {
						// Ctrl-C leaves paste mode for the friendly prompt, as mpremote does; no program runs there.
						tail.clear();
						write([CTRL_C], nowMs);
						emit({ type: 'paste-cancelled' });
					} else {
						// Ctrl-A on a continuation line is Home, not raw mode; Ctrl-C at a prompt cancels the line
						// (no program runs, so it interrupts nothing).
						write([CTRL_C], nowMs);
					}
				}
				return;
			}
			case 'interrupting': {
				if (nowMs >= phaseStartMs + enterTimeoutMs) {
					setPhase('lost', nowMs);
					emit({ type: 'enter-failed' });
					return;
				}
				if (nowMs >= lastActivityMs + drainQuietMs) enterAfterDrain(nowMs);
				return;
			}
			case 'resetting': {
				if (nowMs >= phaseStartMs + enterTimeoutMs) {
					setPhase('lost', nowMs);
					emit({ type: 'enter-failed' });
				}
				return;
			}
			case 'classic-sending': {
				if (nowMs >= nextChunkAtMs) sendClassicChunk(nowMs);
				return;
			}
			case 'leave-drain': {
				// A command that keeps printing after Ctrl-C never goes quiet: Ctrl-B goes anyway after a while.
				if (nowMs >= lastActivityMs + drainQuietMs || nowMs >= phaseStartMs + leaveDrainMaxMs) leaveNow(nowMs);
				return;
			}
			case 'leaving': {
				if (nowMs >= lastActivityMs + inactivityTimeoutMs) setPhase('unknown', nowMs);
				return;
			}
			case 'discard': {
				// Quiet at last, but no prompt: whatever the board does now, it is not answering as it should.
				if (nowMs >= lastActivityMs + inactivityTimeoutMs) setPhase('lost', nowMs);
				return;
			}
			default: {
				// A streamed program may be silent for as long as it likes: the user stops it.
				if (streaming && phase === 'stdout') return;
				if (isCommandPhase(phase) && nowMs >= replyDeadlineMs()) {
					markProblem('timeout');
					endCommand(false, 'lost', nowMs);
				}
			}
		}
	}

	/** When the command in flight is given up: after a silence, or after a trickle that would never end. */
	function replyDeadlineMs(): number {
		return Math.min(lastActivityMs + inactivityTimeoutMs, progressAtMs + trickleTimeoutMs);
	}

	function enterAfterDrain(nowMs: number): void {
		// Ctrl-A in its own write, after the drain: bytes sent with a Ctrl-C can be discarded (§3.1).
		write([0x0d, CTRL_A], nowMs);
		const started = phaseStartMs;
		setPhase('entering', nowMs);
		// The overall limit counts from the interrupt.
		phaseStartMs = started;
	}

	function beginInterrupt(nowMs: number): void {
		// `\r` then Ctrl-C: stop what runs (one Ctrl-C since mpremote v1.24, §3.1).
		write([0x0d, CTRL_C], nowMs);
		setPhase('interrupting', nowMs);
	}

	return {
		get phase() {
			return phase;
		},
		get rawPasteSupported() {
			return rawPasteSupported;
		},
		connect(nowMs, connectOptions = {}) {
			if (phase === 'raw-idle' || isCommandPhase(phase)) return finish();
			tail.clear();
			if (connectOptions.interrupt) {
				beginInterrupt(nowMs);
			} else {
				// `\r` then Ctrl-A, with no Ctrl-C: enters raw mode from an empty friendly line, re-prints the banner
				// in raw mode, and does nothing to a running program but sit in its input.
				write([0x0d, CTRL_A], nowMs);
				probeHeardBytes = 0;
				promptRetries = 0;
				probeWindowMs = connectOptions.probeTimeoutMs ?? probeTimeoutMs;
				setPhase('probing', nowMs);
			}
			return finish();
		},
		interrupt(nowMs) {
			if (phase === 'raw-idle' || isCommandPhase(phase)) return finish();
			beginInterrupt(nowMs);
			return finish();
		},
		exec(code, nowMs, execOptions = {}) {
			if (phase !== 'raw-idle') throw new RangeError(`cannot run code in phase ${phase}: not at the raw prompt`);
			data = codeBytes(code);
			streaming = execOptions.stream === true;
			startCommand(nowMs);
			return finish();
		},
		leave(nowMs) {
			switch (phase) {
				case 'raw-idle':
					leaveNow(nowMs);
					break;
				case 'unknown':
				case 'friendly':
				case 'leaving':
				case 'leave-drain':
					break;
				case 'classic-sending':
				case 'paste-request':
				case 'paste-window':
				case 'paste-refused':
				case 'paste-sending':
				case 'paste-ack':
				case 'await-ok':
				case 'stdout':
				case 'exception':
				case 'await-prompt':
				case 'resync':
				case 'discard':
				case 'lost': {
					// Our own command may still run (or the link lost it): stop it, drain, then Ctrl-B.
					write([CTRL_C], nowMs);
					if (isCommandPhase(phase) && phase !== 'discard') {
						markProblem('timeout');
						endCommand(false, 'leave-drain', nowMs);
					}
					setPhase('leave-drain', nowMs);
					break;
				}
				default:
					// probing, entering, interrupting, busy: a queued Ctrl-A may still reach the board after its
					// program ends; a Ctrl-B behind it brings the board back to the friendly REPL.
					leaveNow(nowMs);
			}
			return finish();
		},
		softReset(nowMs) {
			if (phase !== 'raw-idle') throw new RangeError(`cannot soft-reset in phase ${phase}: not at the raw prompt`);
			// At the raw prompt the buffer is empty, so Ctrl-D is the reset. The board answers `OK`, its reboot
			// line, boot.py's output (main.py is skipped in raw mode) and the raw banner, which checkResets sees.
			tail.clear();
			write([CTRL_D], nowMs);
			setPhase('resetting', nowMs);
			return finish();
		},
		push(chunk, nowMs) {
			if (chunk.length > 0) lastActivityMs = nowMs;
			bytesSinceProgress += chunk.length;
			if (bytesSinceProgress >= minProgressBytes) {
				progressAtMs = nowMs;
				bytesSinceProgress = 0;
			}
			for (let index = 0; index < chunk.length; index++) {
				const run = phase === 'stdout' && !streaming ? plainRun(chunk, index) : 0;
				if (run > 0) {
					takeStdoutRun(chunk.subarray(index, index + run));
					index += run - 1;
				} else {
					onByte(chunk[index] as number, nowMs);
				}
			}
			if ((phase === 'stdout' || phase === 'exception') && stdout.length !== progressReported) {
				const bytes = stdout.bytesFrom(progressReported);
				progressReported = stdout.length;
				emit({ type: 'progress', stdoutBytes: stdout.length, bytes });
			}
			return finish();
		},
		tick(nowMs) {
			onTimeout(nowMs);
			return finish();
		},
		deadlineMs() {
			switch (phase) {
				case 'probing':
				case 'entering': {
					const overall = phaseStartMs + (phase === 'probing' ? probeWindowMs : enterTimeoutMs);
					return promptAtTail() ? Math.min(overall, lastActivityMs + promptRetryMs) : overall;
				}
				case 'interrupting':
					return Math.min(phaseStartMs + enterTimeoutMs, lastActivityMs + drainQuietMs);
				case 'resetting':
					return phaseStartMs + enterTimeoutMs;
				case 'classic-sending':
					return nextChunkAtMs;
				case 'leave-drain':
					return Math.min(lastActivityMs + drainQuietMs, phaseStartMs + leaveDrainMaxMs);
				case 'leaving':
				case 'discard':
					return lastActivityMs + inactivityTimeoutMs;
				default:
					if (streaming && phase === 'stdout') return undefined;
					return isCommandPhase(phase) ? replyDeadlineMs() : undefined;
			}
		},
	};
}
