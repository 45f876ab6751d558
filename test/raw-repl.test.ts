import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseMemInfo } from '../source/heap/parse.js';
import { asciiBytes, concatBytes, latin1Text } from '../source/protocol/bytes.js';
import {
	createRawReplClient,
	type RawExecResult,
	type RawReplClient,
	type RawReplEvent,
	type RawReplOptions,
	type RawReplStep,
} from '../source/protocol/raw-repl.js';
import { type TranscriptStep, transcriptStep } from './helpers/transcripts.js';

const A = 'qemu_mps2_an385.txt';
const B = 'qemu_mps2_an385_b.txt';
const C = 'qemu_mps2_an385_c.txt';
const D = 'qemu_mps2_an385_d.txt';

/** One exchange: an optional call on the client, then the board's answer (split as the test asks). */
type Exchange = { act?: (client: RawReplClient, nowMs: number) => RawReplStep; recv?: Uint8Array; atMs?: number };

type Run = { writes: string; events: string[]; results: RawExecResult[]; client: RawReplClient };

/** Events as comparable strings, adjacent console output merged, so chunking cannot change them. */
function describeEvents(events: RawReplEvent[]): string[] {
	const out: string[] = [];
	let pendingOutput = '';
	for (const event of events) {
		// Progress follows the chunks by design; what it adds up to is tested on its own.
		if (event.type === 'progress') continue;
		if (event.type === 'output') {
			pendingOutput += latin1Text(event.bytes);
			continue;
		}
		if (pendingOutput) out.push(`output ${JSON.stringify(pendingOutput)}`);
		pendingOutput = '';
		if (event.type === 'result') {
			const { stdout, exception, complete, problem, mode } = event.result;
			out.push(
				`result ${JSON.stringify({ stdout: latin1Text(stdout), exception: latin1Text(exception), complete, problem, mode })}`,
			);
		} else {
			out.push(JSON.stringify(event));
		}
	}
	if (pendingOutput) out.push(`output ${JSON.stringify(pendingOutput)}`);
	return out;
}

function run(
	exchanges: Exchange[],
	options: RawReplOptions,
	split: (index: number, bytes: Uint8Array) => Uint8Array[],
): Run {
	const client = createRawReplClient(options);
	const writes: Uint8Array[] = [];
	const events: RawReplEvent[] = [];
	const results: RawExecResult[] = [];
	const take = (step: RawReplStep) => {
		writes.push(...step.writes);
		events.push(...step.events);
		for (const event of step.events) if (event.type === 'result') results.push(event.result);
	};
	exchanges.forEach((exchange, index) => {
		const nowMs = exchange.atMs ?? 0;
		if (exchange.act) take(exchange.act(client, nowMs));
		if (exchange.recv) for (const piece of split(index, exchange.recv)) take(client.push(piece, nowMs));
	});
	return { writes: latin1Text(concatBytes(writes)), events: describeEvents(events), results, client };
}

/**
 * Runs the exchanges whole, byte by byte, and split in two at every position of every answer, and checks
 * that all of them write the same bytes and report the same events. Returns the whole run.
 */
function runEverySplit(exchanges: Exchange[], options: RawReplOptions = {}): Run {
	const whole = run(exchanges, options, (_index, bytes) => [bytes]);
	const byteByByte = run(exchanges, options, (_index, bytes) => Array.from(bytes, (byte) => new Uint8Array([byte])));
	assert.equal(byteByByte.writes, whole.writes, 'byte by byte writes the same');
	assert.deepEqual(byteByByte.events, whole.events, 'byte by byte reports the same');
	exchanges.forEach((exchange, target) => {
		const length = exchange.recv?.length ?? 0;
		for (let at = 1; at < length; at++) {
			const splitRun = run(exchanges, options, (index, bytes) =>
				index === target ? [bytes.subarray(0, at), bytes.subarray(at)] : [bytes],
			);
			assert.equal(splitRun.writes, whole.writes, `split of answer ${target} at ${at} writes the same`);
			assert.deepEqual(splitRun.events, whole.events, `split of answer ${target} at ${at} reports the same`);
		}
	});
	assertNoSoftReset(whole.writes);
	return whole;
}

/** Fails when a Ctrl-D could land on an empty raw buffer: first byte, or right after Ctrl-A/B/C/D. */
function assertNoSoftReset(writes: string): void {
	for (let index = 0; index < writes.length; index++) {
		if (writes.charCodeAt(index) !== 0x04) continue;
		const before = index === 0 ? -1 : writes.charCodeAt(index - 1);
		assert.ok(before > 0x04, `Ctrl-D at ${index} after 0x0${before.toString(16)}`);
	}
}

function text(bytes: Uint8Array): string {
	return latin1Text(bytes);
}

/** The code a transcript step sent, without its final Ctrl-D. */
function codeOf(step: TranscriptStep): Uint8Array {
	assert.equal(step.send.at(-1), 0x04, `${step.title} ends with Ctrl-D`);
	return step.send.subarray(0, -1);
}

const enterRaw = transcriptStep(A, 'enter raw');

/** A client in the raw REPL that sent the captured collect-and-dump command at 0 ms, awaiting its reply. */
function dumpSentAt0(inactivityTimeoutMs: number): { step: TranscriptStep; client: RawReplClient } {
	const step = transcriptStep(A, 'gc.collect; mem_info(1)');
	const client = createRawReplClient({ rawPaste: 'never', inactivityTimeoutMs });
	client.connect(0);
	client.push(enterRaw.recv, 0);
	client.exec(codeOf(step), 0);
	return { step, client };
}
const connectExchange: Exchange = { act: (client, nowMs) => client.connect(nowMs), recv: enterRaw.recv };

describe('entering the raw REPL', () => {
	test('from a friendly prompt it sends only \\r Ctrl-A, with no Ctrl-C, and reaches the raw prompt', () => {
		const result = runEverySplit([connectExchange]);
		assert.equal(result.writes, text(enterRaw.send));
		assert.ok(!result.writes.includes('\x03'), 'no interrupt');
		assert.equal(result.client.phase, 'raw-idle');
		assert.deepEqual(result.events.slice(-1), [JSON.stringify({ type: 'raw-repl' })]);
	});

	test('a board that answers not one byte to the probe is not answering, not busy, and is left alone', () => {
		const client = createRawReplClient({ probeTimeoutMs: 1000 });
		const first = client.connect(0);
		assert.equal(client.deadlineMs(), 1000);
		const early = client.tick(999);
		assert.deepEqual(early.events, []);
		const late = client.tick(1000);
		assert.deepEqual(late.events, [{ type: 'no-answer' }]);
		assert.equal(client.phase, 'unknown');
		const written = latin1Text(concatBytes([...first.writes, ...early.writes, ...late.writes]));
		assert.ok(!written.includes('\x03'), 'no Ctrl-C without asking');
		// Asked again with a shorter window, as a retry does.
		client.connect(1200, { probeTimeoutMs: 300 });
		assert.equal(client.deadlineMs(), 1500);
	});

	test('a board that prints but gives no prompt is running a program: busy, and left alone', () => {
		const client = createRawReplClient({ probeTimeoutMs: 1000 });
		const first = client.connect(0);
		const heard = client.push(asciiBytes('working 7\r\n'), 400);
		const late = client.tick(1000);
		assert.deepEqual(late.events, [{ type: 'busy' }]);
		assert.equal(client.phase, 'busy');
		const written = latin1Text(concatBytes([...first.writes, ...heard.writes, ...late.writes]));
		assert.ok(!written.includes('\x03'), 'no Ctrl-C without asking');
	});

	test('interrupting a busy board sends \\r Ctrl-C, waits for the prompt, then \\r Ctrl-A in a separate write', () => {
		const ctrlC = transcriptStep(A, 'ctrl-c');
		const result = runEverySplit([
			{ act: (client, nowMs) => client.connect(nowMs), recv: asciiBytes('working 7\r\n') },
			{ act: (client) => client.tick(1500), atMs: 1500 },
			{ act: (client, nowMs) => client.interrupt(nowMs), recv: ctrlC.recv, atMs: 1600 },
			{ recv: enterRaw.recv, atMs: 1600 },
		]);
		assert.equal(result.writes, text(enterRaw.send) + text(ctrlC.send) + text(enterRaw.send));
		assert.equal(result.client.phase, 'raw-idle');
		assert.ok(result.events.includes(JSON.stringify({ type: 'busy' })));
	});

	test('with interrupt asked up front, it stops what runs first, as mpremote does', () => {
		const ctrlC = transcriptStep(B, 'ctrl-c');
		const result = runEverySplit([
			{ act: (client, nowMs) => client.connect(nowMs, { interrupt: true }), recv: ctrlC.recv },
			{ recv: enterRaw.recv },
		]);
		assert.equal(result.writes, text(ctrlC.send) + text(enterRaw.send));
		assert.equal(result.client.phase, 'raw-idle');
	});

	test('on an auto-indented continuation line, where Ctrl-A is Home, it cancels the line and tries again', () => {
		const continuation = transcriptStep(C, 'friendly continuation');
		const home = transcriptStep(C, 'friendly ctrl-a inside continuation (acts as Home)');
		const cancel = transcriptStep(C, 'ctrl-c cancels continuation');
		const enter = transcriptStep(C, 'enter raw');
		const result = runEverySplit([
			{ act: (client, nowMs) => client.connect(nowMs), recv: concatBytes([continuation.recv, home.recv]) },
			{ act: (client) => client.tick(300), recv: cancel.recv, atMs: 300 },
			{ act: (client) => client.tick(600), recv: enter.recv, atMs: 600 },
		]);
		assert.equal(result.writes, text(enter.send) + text(cancel.send) + text(enter.send));
		assert.equal(result.client.phase, 'raw-idle');
	});

	test('without an answer after an interrupt it gives up after the overall limit', () => {
		const client = createRawReplClient({ enterTimeoutMs: 10_000, drainQuietMs: 200 });
		client.connect(0, { interrupt: true });
		const drained = client.tick(200);
		assert.equal(latin1Text(concatBytes(drained.writes)), '\r\x01');
		const failed = client.tick(10_000);
		assert.deepEqual(failed.events, [{ type: 'enter-failed' }]);
		assert.equal(client.phase, 'lost');
	});
});

/** Connects, then runs one command whose answer is the transcript's. */
function command(code: Uint8Array, recv: Uint8Array, options: RawReplOptions = { rawPaste: 'never' }): Run {
	return runEverySplit(
		[connectExchange, { act: (client, nowMs) => client.exec(code, nowMs), recv, atMs: 10 }],
		options,
	);
}

describe('classic raw mode', () => {
	const cases: { file: string; title: string; stdout: RegExp; exception: RegExp }[] = [
		{ file: A, title: 'exec print', stdout: /^hi\r\n$/, exception: /^$/ },
		{ file: A, title: 'exec exception', stdout: /^$/, exception: /ZeroDivisionError: divide by zero\r\n$/ },
		{ file: A, title: 'exec stdout+exception', stdout: /^a\r\n$/, exception: /ValueError: x\r\n$/ },
		{ file: A, title: 'syntax error raw', stdout: /^$/, exception: /SyntaxError: invalid syntax\r\n$/ },
		{ file: C, title: 'stdout without newline', stdout: /^no-nl$/, exception: /^$/ },
		{ file: D, title: 'print to stderr', stdout: /^E\r\nO\r\n$/, exception: /^$/ },
		{ file: D, title: 'raise KeyboardInterrupt', stdout: /^$/, exception: /KeyboardInterrupt: \r\n$/ },
		{ file: A, title: 'qstr_info()', stdout: /^qstr pool: n_pool=1/, exception: /^$/ },
	];
	for (const { file, title, stdout, exception } of cases) {
		test(`${title}: the code and Ctrl-D go out as captured, stdout and traceback come back apart`, () => {
			const step = transcriptStep(file, title);
			const result = command(codeOf(step), step.recv);
			assert.equal(result.writes, text(enterRaw.send) + text(step.send));
			const [only] = result.results;
			assert.ok(only);
			assert.equal(result.results.length, 1);
			assert.ok(only.complete);
			assert.equal(only.mode, 'classic');
			assert.match(text(only.stdout), stdout);
			assert.match(text(only.exception), exception);
			assert.equal(result.client.phase, 'raw-idle');
		});
	}

	for (const [file, title] of [
		[A, 'mem_info()'],
		[A, 'gc.collect; mem_info(1)'],
		[B, 'mem_info(1) big alloc'],
		[B, 'mem_info(False)'],
	] as const) {
		test(`${title}: the dump comes back whole and parses`, () => {
			const step = transcriptStep(file, title);
			const result = command(codeOf(step), step.recv);
			const [only] = result.results;
			assert.ok(only?.complete);
			const parsed = parseMemInfo(text(only.stdout));
			assert.ok(parsed.ok);
			assert.equal(parsed.snapshot.gc.usedBytes + parsed.snapshot.gc.freeBytes, parsed.snapshot.gc.totalBytes);
		});
	}

	test('code longer than 256 bytes goes out in paced chunks of 256, then Ctrl-D', () => {
		const step = transcriptStep(C, 'big raw exec 600 bytes');
		const code = codeOf(step);
		const exchanges: Exchange[] = [connectExchange, { act: (client, nowMs) => client.exec(code, nowMs), atMs: 0 }];
		for (let atMs = 10; atMs <= 30; atMs += 10) exchanges.push({ act: (client) => client.tick(atMs), atMs });
		exchanges.push({ recv: step.recv, atMs: 30 });
		const result = runEverySplit(exchanges, { rawPaste: 'never' });
		assert.equal(result.writes, text(enterRaw.send) + text(step.send));
		assert.match(text(result.results[0]?.stdout ?? new Uint8Array()), /^590\r\n$/);
	});

	test('a 0x04 printed by the program breaks the frame: resynchronised, marked incomplete, next command fine', () => {
		const step = transcriptStep(C, 'print containing 0x04 byte');
		const next = transcriptStep(A, 'exec print');
		const result = runEverySplit(
			[
				connectExchange,
				{ act: (client, nowMs) => client.exec(codeOf(step), nowMs), recv: step.recv },
				{ act: (client, nowMs) => client.exec(codeOf(next), nowMs), recv: next.recv },
			],
			{ rawPaste: 'never' },
		);
		const [broken, fine] = result.results;
		assert.equal(broken?.complete, false);
		assert.equal(broken?.problem, 'framing');
		assert.equal(fine?.complete, true);
		assert.equal(text(fine?.stdout ?? new Uint8Array()), 'hi\r\n');
	});

	// Real bytes: a dump's answer cut off part way, then a banner: the one a board prints at its friendly prompt
	// (it was reset), or its answer to Ctrl-C, Ctrl-A (another client took it).
	for (const { title, banner, problem, phase } of [
		{ title: 'the friendly banner', banner: 'ctrl-b', problem: 'friendly-prompt', phase: 'friendly' },
		{ title: 'the raw banner', banner: 'enter raw', problem: 'framing', phase: 'raw-idle' },
	] as const) {
		test(`${title} in the middle of a dump ends the command as not whole, wherever it falls`, () => {
			const dump = transcriptStep(A, 'gc.collect; mem_info(1)');
			const recv = transcriptStep(D, banner).recv;
			for (const cut of [40, Math.floor(dump.recv.length / 2)]) {
				const result = command(codeOf(dump), concatBytes([dump.recv.subarray(0, cut), recv]));
				assert.equal(result.results[0]?.complete, false, `cut at ${cut}`);
				assert.equal(result.results[0]?.problem, problem, `cut at ${cut}`);
				assert.equal(result.client.phase, phase, `cut at ${cut}`);
			}
		});
	}

	test('a board that reboots in the middle of a dump: the reboot is seen in the output, wherever it falls', () => {
		// Real bytes: a dump's answer cut off part way, then the reboot and banner a rebooting board sends.
		const dump = transcriptStep(A, 'gc.collect; mem_info(1)');
		const reboot = transcriptStep(D, 'sys.exit() in raw REPL').recv;
		const rebootLine = latin1Text(reboot).indexOf('MPY: soft reboot');
		assert.ok(rebootLine > 0);
		for (const cut of [40, Math.floor(dump.recv.length / 2)]) {
			const recv = concatBytes([dump.recv.subarray(0, cut), reboot.subarray(rebootLine)]);
			const result = command(codeOf(dump), recv);
			assert.equal(result.results[0]?.complete, false, `cut at ${cut}`);
			assert.equal(result.results[0]?.problem, 'soft-reboot', `cut at ${cut}`);
			assert.ok(result.events.includes(JSON.stringify({ type: 'soft-reboot' })), `cut at ${cut}`);
			assert.equal(result.client.phase, 'raw-idle', `cut at ${cut}`);
		}
	});

	test('sys.exit() soft-reboots the board: the result is incomplete and the reboot is reported', () => {
		const step = transcriptStep(D, 'sys.exit() in raw REPL');
		const result = command(codeOf(step), step.recv);
		assert.equal(result.results[0]?.complete, false);
		assert.equal(result.results[0]?.problem, 'soft-reboot');
		assert.ok(result.events.includes(JSON.stringify({ type: 'soft-reboot' })));
		assert.equal(result.client.phase, 'raw-idle');
	});

	test('garbage on the line before the frame marks the result incomplete', () => {
		const noise = transcriptStep(B, 'exec input()').recv;
		const step = transcriptStep(A, 'exec print');
		const result = command(codeOf(step), concatBytes([noise, step.recv]));
		assert.equal(result.results[0]?.complete, false);
		assert.equal(result.results[0]?.problem, 'noise');
		assert.equal(result.client.phase, 'raw-idle');
	});

	test('output that stops in the middle ends as a timeout after the inactivity limit', () => {
		const step = transcriptStep(A, 'long loop');
		const client = createRawReplClient({ rawPaste: 'never', inactivityTimeoutMs: 2000 });
		client.connect(0);
		client.push(enterRaw.recv, 0);
		client.exec(codeOf(step), 0);
		assert.deepEqual(client.push(step.recv, 100).events, []);
		assert.equal(client.deadlineMs(), 2100);
		const timeout = client.tick(2100);
		const [event] = timeout.events;
		assert.equal(event?.type, 'result');
		assert.equal(event?.type === 'result' && event.result.problem, 'timeout');
		assert.equal(client.phase, 'lost');
		// Leaving from there stops our own command first, then Ctrl-B after the drain.
		const leave = client.leave(2200);
		assert.equal(latin1Text(concatBytes(leave.writes)), '\x03');
		assert.equal(latin1Text(concatBytes(client.tick(2400).writes)), '\r\x02');
	});

	test('a reply that trickles (a byte a second, never silent for long) ends as a timeout after the trickle limit', () => {
		const { step, client } = dumpSentAt0(2000);
		const results: RawExecResult[] = [];
		let atMs = 0;
		for (const byte of step.recv) {
			atMs += 1000;
			const deadline = client.deadlineMs();
			if (deadline !== undefined && deadline <= atMs) {
				for (const event of client.tick(deadline).events) if (event.type === 'result') results.push(event.result);
				break;
			}
			for (const event of client.push(Uint8Array.of(byte), atMs).events) {
				if (event.type === 'result') results.push(event.result);
			}
		}
		assert.equal(results.length, 1, 'the reply was given up, not read to its end');
		assert.equal(results[0]?.problem, 'timeout');
		assert.equal(atMs, 10_000, 'ten seconds after the command was sent: fewer than 64 bytes came in that time');
		assert.equal(client.phase, 'lost');
	});

	test('a reply at a slow but real speed (64 bytes every 9 s) is read to its end', () => {
		const { step, client } = dumpSentAt0(10_000);
		const results: RawExecResult[] = [];
		for (let at = 0, atMs = 0; at < step.recv.length; at += 64) {
			atMs += 9000;
			assert.ok((client.deadlineMs() ?? Number.POSITIVE_INFINITY) > atMs);
			for (const event of client.push(step.recv.subarray(at, at + 64), atMs).events) {
				if (event.type === 'result') results.push(event.result);
			}
		}
		assert.equal(results[0]?.complete, true);
	});
});

const always: RawReplOptions = { rawPaste: 'always' };

describe('raw-paste mode', () => {
	test('with auto, code that fits one classic chunk goes as one classic write: one round trip', () => {
		const step = transcriptStep(A, 'exec print');
		const result = runEverySplit(
			[connectExchange, { act: (client, nowMs) => client.exec(codeOf(step), nowMs), recv: step.recv }],
			{ rawPaste: 'auto' },
		);
		assert.equal(result.writes, text(enterRaw.send) + text(step.send));
		assert.equal(result.results[0]?.mode, 'classic');
	});

	test('asks with Ctrl-E A Ctrl-A, sends within the window, and reads the frame without OK', () => {
		const request = transcriptStep(A, 'raw-paste enter');
		const code = transcriptStep(A, 'raw-paste code+end');
		const result = runEverySplit(
			[
				connectExchange,
				{ act: (client, nowMs) => client.exec(codeOf(code), nowMs), recv: request.recv },
				{ recv: code.recv },
			],
			always,
		);
		assert.equal(result.writes, text(enterRaw.send) + text(request.send) + text(code.send));
		assert.equal(result.results[0]?.mode, 'raw-paste');
		assert.equal(text(result.results[0]?.stdout ?? new Uint8Array()), '123\r\n');
		assert.ok(result.events.includes(JSON.stringify({ type: 'raw-paste', supported: true })));
	});

	test('a compile error comes back as the exception section', () => {
		const request = transcriptStep(A, 'raw-paste enter 2');
		const code = transcriptStep(A, 'raw-paste syntax err');
		const result = runEverySplit(
			[
				connectExchange,
				{ act: (client, nowMs) => client.exec(codeOf(code), nowMs), recv: request.recv },
				{ recv: code.recv },
			],
			always,
		);
		assert.equal(result.results[0]?.complete, true);
		assert.match(text(result.results[0]?.exception ?? new Uint8Array()), /SyntaxError: invalid syntax\r\n$/);
	});

	test('code bigger than the window waits for credit, and an early end is acknowledged with Ctrl-D', () => {
		const request = transcriptStep(A, 'raw-paste enter 3 (compile error mid-stream)');
		const bad = transcriptStep(A, 'raw-paste send bad');
		const ack = transcriptStep(A, 'ack abrupt end');
		const code = concatBytes([bad.send, asciiBytes('x = 1\n'.repeat(60))]);
		const result = runEverySplit([
			connectExchange,
			{ act: (client, nowMs) => client.exec(code, nowMs), recv: request.recv },
			{ recv: bad.recv },
			{ recv: ack.recv },
		]);
		// Window 128, plus one more credit right away: 256 bytes go out before the board stops us.
		assert.equal(
			result.writes,
			text(enterRaw.send) + text(request.send) + text(code.subarray(0, 256)) + text(ack.send),
		);
		assert.equal(result.results[0]?.complete, true);
		assert.match(text(result.results[0]?.exception ?? new Uint8Array()), /SyntaxError/);
	});

	test('a board that refuses raw-paste (R 0x00) gets classic raw mode, now and later', () => {
		const refused = transcriptStep(A, 'raw-paste unsupported cmd');
		const step = transcriptStep(A, 'exec print');
		const result = runEverySplit(
			[
				connectExchange,
				{ act: (client, nowMs) => client.exec(codeOf(step), nowMs), recv: refused.recv },
				{ recv: step.recv },
				{ act: (client, nowMs) => client.exec(codeOf(step), nowMs), recv: step.recv },
			],
			always,
		);
		assert.equal(
			result.writes,
			`${text(enterRaw.send)}\x05A\x01${text(step.send)}${text(step.send)}`,
			'no second raw-paste request',
		);
		assert.deepEqual(
			result.results.map((one) => [one.mode, one.complete]),
			[
				['classic', true],
				['classic', true],
			],
		);
	});
});

describe('state changes the board makes on its own', () => {
	test('a soft reboot banner while idle is reported, and the client stays at the raw prompt', () => {
		const reboot = transcriptStep(C, 'soft reset, then ctrl-b');
		const result = runEverySplit([connectExchange, { recv: reboot.recv }]);
		assert.ok(result.events.includes(JSON.stringify({ type: 'soft-reboot' })));
		assert.equal(result.client.phase, 'raw-idle');
	});

	test('a re-printed raw banner (Ctrl-A in raw mode) keeps the client at the raw prompt', () => {
		const reset = transcriptStep(C, 'ctrl-a resets raw REPL (discard line)');
		const result = runEverySplit([connectExchange, { recv: reset.recv }]);
		assert.equal(result.client.phase, 'raw-idle');
	});
});

describe('leaving', () => {
	test('Ctrl-B brings the board back to the friendly prompt', () => {
		const exit = transcriptStep(B, 'exit raw ctrl-b');
		const result = runEverySplit([connectExchange, { act: (client, nowMs) => client.leave(nowMs), recv: exit.recv }]);
		assert.equal(result.writes, text(enterRaw.send) + text(exit.send));
		assert.equal(result.client.phase, 'friendly');
		assert.equal(result.events.at(-1), JSON.stringify({ type: 'friendly-prompt' }));
	});

	test('a client that never connected writes nothing when asked to leave', () => {
		const client = createRawReplClient();
		assert.deepEqual(client.leave(0).writes, []);
	});
});

describe('never a soft reset', () => {
	test('empty code is refused instead of sending Ctrl-D on an empty buffer', () => {
		const client = createRawReplClient();
		client.connect(0);
		client.push(enterRaw.recv, 0);
		assert.throws(() => client.exec('', 0), RangeError);
		assert.throws(() => client.exec('x\x03', 0), RangeError);
		assert.throws(() => client.exec(new Uint8Array([0x04]), 0), RangeError);
		assert.equal(client.phase, 'raw-idle');
	});

	test('code is refused when not at the raw prompt', () => {
		const client = createRawReplClient();
		assert.throws(() => client.exec('print(1)', 0), RangeError);
	});
});

describe('soft reset, only when asked', () => {
	test('softReset sends one Ctrl-D at the raw prompt and ends back there, reporting the reboot', () => {
		const reboot = transcriptStep(C, 'soft reset, then ctrl-b');
		const exchanges: Exchange[] = [
			connectExchange,
			{ act: (client, nowMs) => client.softReset(nowMs), recv: reboot.recv },
		];
		const whole = run(exchanges, {}, (_index, bytes) => [bytes]);
		const byteByByte = run(exchanges, {}, (_index, bytes) => Array.from(bytes, (byte) => new Uint8Array([byte])));
		assert.deepEqual(byteByByte.events, whole.events);
		assert.equal(whole.writes, text(enterRaw.send) + text(reboot.send));
		const afterReset = whole.events.slice(whole.events.indexOf(JSON.stringify({ type: 'raw-repl' })) + 1);
		assert.ok(afterReset.includes(JSON.stringify({ type: 'soft-reboot' })), whole.events.join('\n'));
		assert.equal(afterReset.at(-1), JSON.stringify({ type: 'raw-repl' }));
		assert.equal(whole.client.phase, 'raw-idle');
	});

	test('a board that never comes back from the reset is reported as failed to enter', () => {
		const client = createRawReplClient({ enterTimeoutMs: 1000 });
		client.connect(0);
		client.push(enterRaw.recv, 0);
		client.softReset(10);
		assert.equal(client.deadlineMs(), 1010);
		assert.deepEqual(client.tick(1010).events, [{ type: 'enter-failed' }]);
		assert.equal(client.phase, 'lost');
	});

	test('softReset is refused away from the raw prompt', () => {
		assert.throws(() => createRawReplClient().softReset(0), RangeError);
	});
});

describe('old firmware', () => {
	test('a board older than raw-paste answers the request with the raw banner: classic mode follows', () => {
		// Firmware before v1.14 takes Ctrl-E and `A` as code and Ctrl-A as "reset the raw REPL": the same
		// answer as the captured Ctrl-A in raw mode.
		const banner = transcriptStep(C, 'ctrl-a resets raw REPL (discard line)');
		const step = transcriptStep(A, 'exec print');
		const result = runEverySplit(
			[
				connectExchange,
				{ act: (client, nowMs) => client.exec(codeOf(step), nowMs), recv: banner.recv },
				{ recv: step.recv },
			],
			always,
		);
		assert.equal(result.writes, `${text(enterRaw.send)}\x05A\x01${text(step.send)}`);
		assert.equal(result.results[0]?.complete, true);
		assert.equal(result.client.rawPasteSupported, false);
	});
});

describe('a command that never stops printing', () => {
	test('is cut off at maxOutputBytes: the result says overflow, Ctrl-C goes out, the rest is dropped', () => {
		const client = createRawReplClient({ rawPaste: 'never', maxOutputBytes: 1000, inactivityTimeoutMs: 500 });
		client.connect(0);
		client.push(enterRaw.recv, 0);
		assert.equal(client.phase, 'raw-idle');
		client.exec("__import__('micropython').mem_info(1)", 10);
		const ok = client.push(asciiBytes('OK'), 20);
		assert.deepEqual(ok.events, []);
		const line = asciiBytes(`${'x'.repeat(99)}\n`);
		const results: RawExecResult[] = [];
		const writes: Uint8Array[] = [];
		for (let index = 0; index < 100; index++) {
			const step = client.push(line, 30 + index);
			writes.push(...step.writes);
			for (const event of step.events) if (event.type === 'result') results.push(event.result);
		}
		assert.equal(results.length, 1);
		assert.equal(results[0]?.complete, false);
		assert.equal(results[0]?.problem, 'overflow');
		assert.ok((results[0]?.stdout.length ?? 0) <= 1000, 'what is kept is bounded');
		assert.equal(latin1Text(concatBytes(writes)), '\x03');
		assert.equal(client.phase, 'discard');
		// Our Ctrl-C took: the traceback's frame ends, and the client is at the raw prompt again.
		const back = client.push(asciiBytes('\x04Traceback...\r\nKeyboardInterrupt: \r\n\x04>'), 200);
		assert.deepEqual(back.events, [{ type: 'raw-repl' }]);
		assert.equal(client.phase, 'raw-idle');
	});

	test('leaving while it still prints sends Ctrl-B anyway after leaveDrainMaxMs', () => {
		const client = createRawReplClient({ rawPaste: 'never', maxOutputBytes: 100, leaveDrainMaxMs: 500 });
		client.connect(0);
		client.push(enterRaw.recv, 0);
		client.exec('print(1)', 10);
		client.push(asciiBytes(`OK${'y'.repeat(200)}`), 20);
		assert.equal(client.phase, 'discard');
		assert.equal(latin1Text(concatBytes(client.leave(30).writes)), '\x03');
		for (let at = 40; at < 530; at += 10) {
			assert.deepEqual(client.push(asciiBytes('yyyy'), at).writes, []);
		}
		assert.equal(client.deadlineMs(), 530);
		assert.equal(latin1Text(concatBytes(client.tick(530).writes)), '\r\x02');
	});

	test('progress counts the output received so far and hands over what each chunk added', () => {
		const client = createRawReplClient({ rawPaste: 'never' });
		client.connect(0);
		client.push(enterRaw.recv, 0);
		client.exec('print(1)', 10);
		const first = client.push(asciiBytes('OKabc'), 20);
		const second = client.push(asciiBytes('defg'), 30);
		assert.deepEqual(
			[...first.events, ...second.events].filter((event) => event.type === 'progress'),
			[
				{ type: 'progress', stdoutBytes: 3, bytes: asciiBytes('abc') },
				{ type: 'progress', stdoutBytes: 7, bytes: asciiBytes('defg') },
			],
		);
	});
});

describe('a streamed command (a user program)', () => {
	test('hands its output over as it comes, keeps none of it, may be silent or print without end, and keeps its traceback', () => {
		const client = createRawReplClient({ rawPaste: 'never', maxOutputBytes: 1000, inactivityTimeoutMs: 500 });
		client.connect(0);
		client.push(enterRaw.recv, 0);
		client.exec('while True: print(1)', 10, { stream: true });
		client.push(asciiBytes('OK'), 20);
		const streamed: string[] = [];
		const results: RawExecResult[] = [];
		const line = asciiBytes(`${'x'.repeat(99)}\n`);
		// Ten times maxOutputBytes, with silences ten times the inactivity limit between lines: no overflow, no timeout.
		for (let index = 0; index < 100; index++) {
			const at = 30 + index * 5000;
			assert.equal(client.deadlineMs(), undefined, 'nothing to time out while it runs');
			const step = client.tick(at);
			const pushed = client.push(line, at + 1);
			for (const event of [...step.events, ...pushed.events]) {
				if (event.type === 'stdout') streamed.push(latin1Text(event.bytes));
				if (event.type === 'result') results.push(event.result);
			}
		}
		assert.equal(results.length, 0);
		assert.equal(streamed.join(''), latin1Text(line).repeat(100));
		assert.equal(client.phase, 'stdout');
		const end = client.push(
			asciiBytes('\x04Traceback (most recent call last):\r\nKeyboardInterrupt: \r\n\x04>'),
			600_000,
		);
		const result = end.events.find((event) => event.type === 'result');
		assert.ok(result?.type === 'result');
		assert.equal(result.result.complete, true);
		assert.equal(result.result.stdout.length, 0);
		assert.equal(latin1Text(result.result.exception), 'Traceback (most recent call last):\r\nKeyboardInterrupt: \r\n');
		assert.equal(client.phase, 'raw-idle');
		// The next command is an ordinary one again: kept, and timed.
		client.exec('print(2)', 600_010);
		client.push(asciiBytes('OK2'), 600_020);
		assert.equal(client.deadlineMs(), 600_020 + 500);
	});
});
