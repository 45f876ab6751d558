import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { SerialPort } from 'serialport';
import { parseMemInfo } from '../source/heap/parse.js';
import type { OpenLink } from '../source/link/link.js';
import { openLink } from '../source/link/open.js';
import { type BoardSource, collectSnapshotCode, createBoardSource, gcTotalsSnapshot } from '../source/sources/board.js';
import type { Reading, ReadOutcome, SourceEvent, SourceStatus } from '../source/sources/source.js';
import {
	busyProgram,
	startVirtualBoard,
	type VirtualBoard,
	type VirtualBoardOptions,
} from '../source/sources/virtual-board.js';
import { friendly, typeRaw } from './helpers/friendly-repl.js';
import { heaptopAsync } from './helpers/heaptop.js';
import { runAllAsPyboard } from './helpers/pyboard-sequence.js';
import { socatSkip } from './helpers/socat.js';

/*
 * The serial board against the virtual board: the real MicroPython VM behind a real pseudo-terminal (socat),
 * opened by serialport's real binding. Nothing here is mocked.
 */

const dir = mkdtempSync(join(tmpdir(), 'heaptop-board-test-'));
let serialNumber = 0;
after(() => rmSync(dir, { recursive: true, force: true }));

type Rig = { board: VirtualBoard; source: BoardSource; events: SourceEvent[] };

async function withRig(
	options: Omit<VirtualBoardOptions, 'ptyPath'>,
	sourceOptions: Partial<Parameters<typeof createBoardSource>[0]>,
	body: (rig: Rig) => Promise<void>,
): Promise<void> {
	const board = await startVirtualBoard({ ptyPath: join(dir, `board-${serialNumber++}`), ...options });
	const source = createBoardSource({ port: board.path, reconnectIntervalMs: 50, ...sourceOptions });
	const events: SourceEvent[] = [];
	source.subscribe((event) => events.push(event));
	try {
		await body({ board, source, events });
	} finally {
		await source.close();
		await board.close();
	}
}

/** Opens real links that keep every byte heaptop writes to the board, in `written`. */
function keepingWrites(): { open: OpenLink; written: number[] } {
	const written: number[] = [];
	const open: OpenLink = async (spec, linkOptions) => {
		const link = await openLink(spec, linkOptions);
		return {
			...link,
			write: (bytes) => {
				written.push(...bytes);
				return link.write(bytes);
			},
		};
	};
	return { open, written };
}

/** The reading an outcome holds, or undefined. */
function readingOf(outcome: ReadOutcome): Reading | undefined {
	return outcome.ok ? outcome.reading : undefined;
}

function statusReached(source: BoardSource, wanted: SourceStatus): Promise<void> {
	if (source.status === wanted) return Promise.resolve();
	return new Promise((resolve) => {
		const stop = source.subscribe((event) => {
			if (event.type === 'status' && event.status === wanted) {
				stop();
				resolve();
			}
		});
	});
}

describe('what the board says about itself', () => {
	test('without mem_info, gc.mem_alloc() and gc.mem_free() make a labelled summary with no map', () => {
		const snapshot = gcTotalsSnapshot('12345 67890\r\n');
		assert.deepEqual(snapshot?.gc, { totalBytes: 80235, usedBytes: 12345, freeBytes: 67890 });
		assert.deepEqual(snapshot?.areas, []);
		assert.match(snapshot?.warnings[0] ?? '', /no block map/);
		assert.equal(gcTotalsSnapshot('AttributeError'), undefined);
	});
});

describe('the serial board on a virtual board', { timeout: 120_000, skip: socatSkip() }, () => {
	test(
		'a light reading is the GC totals in one short line, emitted as an event, beside the map',
		{ timeout: 20_000 },
		async () => {
			await withRig({}, {}, async ({ source, events }) => {
				await source.start();
				const reading = readingOf(await source.read({ collect: false }));
				const outcome = await source.readLight();
				assert.ok(outcome.ok && reading);
				const { gc } = reading.snapshot;
				// The firmware's own figures: used and free add up to the heap (no split-heap growth here), and the
				// used figure is of the same heap the map shows, within what the two commands leave while they run.
				assert.equal(outcome.light.usedBytes + outcome.light.freeBytes, gc.totalBytes);
				assert.ok(
					Math.abs(outcome.light.usedBytes - gc.usedBytes) < 4096,
					`${outcome.light.usedBytes} vs ${gc.usedBytes}`,
				);
				assert.deepEqual(
					events.filter((event) => event.type === 'light'),
					[{ type: 'light', light: outcome.light }],
				);
				await source.close();
				assert.equal((await source.readLight()).ok, false, 'a closed source takes none');
			});
		},
	);

	test('connects without interrupting, says what it is, and takes a snapshot', { timeout: 20_000 }, async () => {
		await withRig({}, {}, async ({ source }) => {
			await source.start();
			assert.equal(source.status, 'live');
			assert.match(source.describe(), /· MicroPython v1\.27\.0 on webassembly/);
			const reading = readingOf(await source.read({ collect: false }));
			assert.ok(reading);
			assert.equal(reading.incomplete, undefined);
			assert.equal(reading.afterCollect, false);
			assert.equal(reading.snapshot.bytesPerBlock, 16);
			assert.ok(reading.snapshot.areas.length >= 1);
			assert.equal(reading.snapshot.gc.usedBytes + reading.snapshot.gc.freeBytes, reading.snapshot.gc.totalBytes);
		});
	});

	test('a collect reading is taken after gc.collect() and marked so', { timeout: 20_000 }, async () => {
		// The WebAssembly VM reclaims most garbage between REPL commands on its own, so a collect frees little
		// here: what is checked is the command and its marking, not the amount freed.
		await withRig({}, {}, async ({ source }) => {
			await source.start();
			const reading = readingOf(await source.read({ collect: true }));
			assert.ok(reading);
			assert.equal(reading.afterCollect, true);
			assert.equal(reading.incomplete, undefined);
		});
	});

	test(
		'the largest-block probe finds a size between the largest free run and all free memory',
		{ timeout: 20_000 },
		async () => {
			await withRig({}, {}, async ({ source }) => {
				await source.start();
				// The WebAssembly VM collects only as a command returns: the first dump of a session still holds the
				// garbage of the identify command before it. The second is the heap the probe meets.
				await source.read({ collect: true });
				const reading = readingOf(await source.read({ collect: true }));
				const largest = await source.probeLargestBlock();
				assert.ok(reading && largest !== undefined);
				const bytesPerBlock = reading.snapshot.bytesPerBlock ?? 16;
				const maxFreeBytes = (reading.snapshot.counts?.maxFreeBlocks ?? 0) * bytesPerBlock;
				// The bytearray's own header and the probe's code take a few blocks of the run they measure.
				assert.ok(largest <= reading.snapshot.gc.freeBytes, `${largest} <= free ${reading.snapshot.gc.freeBytes}`);
				assert.ok(largest >= maxFreeBytes - 64 * bytesPerBlock, `${largest} near the largest free run ${maxFreeBytes}`);
			});
		},
	);

	test('a busy board is reported busy, not interrupted, until asked', { timeout: 30_000 }, async () => {
		await withRig({ mainProgram: busyProgram(100) }, { repl: { probeTimeoutMs: 600 } }, async ({ source, events }) => {
			await source.start();
			assert.equal(source.status, 'busy');
			assert.equal(readingOf(await source.read({ collect: false })), undefined);
			assert.ok(
				events.some((event) => event.type === 'output' && event.text.includes('working')),
				'the program output is shown',
			);
			await source.interrupt();
			assert.equal(source.status, 'live');
			const reading = readingOf(await source.read({ collect: true }));
			assert.ok(reading);
		});
	});

	test('a busy board whose program ends by itself goes live without an interrupt', { timeout: 20_000 }, async () => {
		// Long enough that even a slow start probes while it runs (the probe must find it busy), short enough to wait for.
		const mainProgram = "import time\nfor n in range(30):\n    print('step', n)\n    time.sleep_ms(100)\n";
		await withRig({ mainProgram }, { repl: { probeTimeoutMs: 300 } }, async ({ source, events }) => {
			const live = statusReached(source, 'live');
			await source.start();
			assert.equal(source.status, 'busy');
			await live;
			assert.ok(readingOf(await source.read({ collect: false })));
			const written = events.flatMap((event) => (event.type === 'output' ? [event.text] : [])).join('');
			assert.match(written, /step \d/);
		});
	});

	test(
		'a line cut in the middle of a dump gives an incomplete reading, then recovers',
		{ timeout: 30_000 },
		async () => {
			await withRig({}, { repl: { inactivityTimeoutMs: 400 } }, async ({ board, source, events }) => {
				await source.start();
				assert.ok(readingOf(await source.read({ collect: false })));
				board.arm({ cutAfterBytes: 300, cutForMs: 300 });
				const cut = readingOf(await source.read({ collect: false }));
				assert.ok(cut === undefined || cut.incomplete === true, 'never taken as whole');
				assert.ok(events.some((event) => event.type === 'problem' && /damaged/.test(event.message)));
				const again = readingOf(await source.read({ collect: false }));
				assert.ok(again);
				assert.equal(again.incomplete, undefined);
			});
		},
	);

	test(
		'garbage on the line marks that reading incomplete, and the next one is whole',
		{ timeout: 20_000 },
		async () => {
			await withRig({}, {}, async ({ board, source }) => {
				await source.start();
				board.arm({ garbageAtBytes: 200 });
				const damaged = readingOf(await source.read({ collect: false }));
				assert.ok(damaged === undefined || damaged.incomplete === true);
				const again = readingOf(await source.read({ collect: false }));
				assert.equal(again?.incomplete, undefined);
			});
		},
	);

	test(
		'a heap too full to run even the snapshot is said plainly, and heaptop carries on',
		{ timeout: 20_000 },
		async () => {
			// Live objects down to the last block: nothing for a collect to free.
			const mainProgram =
				'keep = None\nfor n in (64, 16, 1):\n    try:\n        while True:\n            keep = (keep, bytearray(n))\n    except MemoryError:\n        pass\n';
			await withRig({ heapBytes: 16 * 1024, mainProgram }, {}, async ({ source, events }) => {
				await source.start();
				assert.equal(source.status, 'live');
				assert.equal(readingOf(await source.read({ collect: false })), undefined);
				const problems = events.flatMap((event) => (event.type === 'problem' ? [event.message] : []));
				assert.ok(
					problems.some((message) =>
						/no room to run even the snapshot command, after a collect too \(MemoryError/.test(message),
					),
					problems.join('; '),
				);
				assert.equal(source.status, 'live');
			});
		},
	);

	test('a port that vanishes shows as disconnected and is picked up when it returns', { timeout: 30_000 }, async () => {
		await withRig({}, {}, async ({ board, source, events }) => {
			await source.start();
			assert.ok(readingOf(await source.read({ collect: false })));
			const gone = statusReached(source, 'disconnected');
			await board.unplug();
			await gone;
			const lostRead = await source.read({ collect: false });
			assert.equal(readingOf(lostRead), undefined);
			// The status line and a read the loss cut short say it in the same words, whichever the screen shows last
			// (the link's words depend on how the loss was seen: the port closed, or a read failed).
			const status = events.findLast((event) => event.type === 'status' && event.status === 'disconnected');
			const statusWords = status?.type === 'status' ? (status.message ?? '') : '';
			assert.match(statusWords, /went away.*; heaptop reconnects when it is back$/);
			assert.equal(lostRead.ok ? '' : lostRead.problem.message, statusWords);
			const back = statusReached(source, 'live');
			await board.replug();
			await back;
			assert.ok(readingOf(await source.read({ collect: true })));
		});
	});

	test(
		'a network link lost in the middle of our raw-paste: back, the board still waits in it, and heaptop ends its own command',
		{ timeout: 30_000 },
		async () => {
			// The server goes after the board granted the paste and before our code reached it; the board kept its
			// power, takes the probe's bytes as more of the paste, and answers nothing, for ever, until a Ctrl-C.
			const board = await startVirtualBoard({
				endpoint: { kind: 'tcp', host: '127.0.0.1', port: 0 },
				heapBytes: 32 * 1024,
			});
			let cutNext = false;
			let dropping = false;
			let unplugging: Promise<void> | undefined;
			const open: OpenLink = async (spec, linkOptions) => {
				const link = await openLink(spec, linkOptions);
				dropping = false;
				return {
					...link,
					write: (bytes) => {
						// After the paste request, nothing more reaches the board: then the server goes.
						if (dropping) return Promise.resolve();
						const written = link.write(bytes);
						if (cutNext && Buffer.from(bytes).includes(0x05)) {
							cutNext = false;
							dropping = true;
							unplugging = new Promise((resolve) => setTimeout(resolve, 200)).then(() => board.unplug());
						}
						return written;
					},
				};
			};
			const source = createBoardSource({ port: board.path, reconnectIntervalMs: 50, open });
			const events: SourceEvent[] = [];
			source.subscribe((event) => events.push(event));
			try {
				await source.start();
				assert.ok(readingOf(await source.read({ collect: false })));
				cutNext = true;
				const gone = statusReached(source, 'disconnected');
				await source.read({ collect: false });
				await gone;
				await unplugging;
				const seen = events.length;
				const back = statusReached(source, 'live');
				await board.replug();
				await back;
				const live = events.slice(seen).find((event) => event.type === 'status' && event.status === 'live');
				assert.match(live?.type === 'status' ? (live.message ?? '') : '', /cut off: it was ended \(Ctrl-C\)/);
				assert.ok(readingOf(await source.read({ collect: false })), 'and it reads again');
			} finally {
				await source.close();
				await board.close();
			}
		},
	);

	test('a port another program holds is reported busy in one line', { timeout: 20_000 }, async () => {
		await withRig({}, {}, async ({ board, source }) => {
			const holder = new SerialPort({ path: board.path, baudRate: 115200, autoOpen: false });
			await new Promise<void>((resolve, reject) => holder.open((error) => (error ? reject(error) : resolve())));
			try {
				await source.start();
				assert.equal(source.status, 'error');
				assert.equal(source.failure?.kind, 'busy');
				assert.match(source.failure?.message ?? '', /is busy: another program holds it/);
			} finally {
				await new Promise<void>((resolve) => holder.close(() => resolve()));
			}
		});
	});

	test('a port that does not exist is reported with the ports that do', { timeout: 10_000 }, async () => {
		const source = createBoardSource({ port: join(dir, 'no-such-port') });
		await source.start();
		assert.equal(source.failure?.kind, 'missing');
		assert.match(source.failure?.message ?? '', /does not exist \((ports here|no serial ports found)/);
		await source.close();
	});

	test('the board is back at >>> with the variables set before heaptop ran', { timeout: 30_000 }, async () => {
		await withRig({}, {}, async ({ board, source }) => {
			await friendly(board.path, 'kept_by_heaptop = 4242');
			await source.start();
			assert.ok(readingOf(await source.read({ collect: true })));
			await source.close();
			const answer = await friendly(board.path, 'print(kept_by_heaptop)');
			assert.match(answer, /\r\n4242\r\n>>> $/);
		});
	});

	test(
		'a line paced like a 115200-baud UART still gives whole snapshots, and the rows read so far as they come',
		{ timeout: 20_000 },
		async () => {
			await withRig({ faults: { paceBaud: 115_200 } }, { repl: { rawPaste: 'always' } }, async ({ source, events }) => {
				await source.start();
				const reading = readingOf(await source.read({ collect: true }));
				assert.equal(reading?.incomplete, undefined);
				assert.ok(reading?.snapshot.areas.length);
				const partials = events.flatMap((event) => (event.type === 'progress' && event.partial ? [event.partial] : []));
				assert.ok(partials.length > 0, 'a progress event carries the rows read so far');
				const whole = reading.snapshot.areas[0]?.cells;
				for (const partial of partials) {
					const cells = partial.areas.at(-1)?.cells;
					assert.ok(cells && whole && cells.length < whole.length, 'a partial map holds fewer blocks than the whole');
					assert.equal(cells.slice(), whole.slice(0, cells.length), 'and they are the first blocks of the whole');
					assert.equal(partial.map?.complete, false);
				}
			});
		},
	);

	test('a snapshot through raw-paste flow control, when asked for every command', { timeout: 20_000 }, async () => {
		await withRig({}, { repl: { rawPaste: 'always' } }, async ({ source }) => {
			await source.start();
			assert.equal(source.status, 'live');
			const reading = readingOf(await source.read({ collect: true }));
			assert.equal(reading?.incomplete, undefined);
		});
	});

	test('firmware without raw-paste is driven in classic raw mode', { timeout: 20_000 }, async () => {
		await withRig({ rawPaste: false }, { repl: { rawPaste: 'always' } }, async ({ source }) => {
			await source.start();
			assert.equal(source.status, 'live');
			assert.ok(readingOf(await source.read({ collect: false })));
		});
	});
});

describe(
	'asking what the board is with the first snapshot (--once, --json)',
	{ timeout: 120_000, skip: socatSkip() },
	() => {
		/** Opens links that count the raw-paste requests (Ctrl-E A Ctrl-A): one per exchange. */
		function countingExchanges(): { open: OpenLink; exchanges: () => number } {
			const { open, written } = keepingWrites();
			const exchanges = () => Buffer.from(written).toString('latin1').split('\x05A\x01').length - 1;
			return { open, exchanges };
		}

		test('the start and one snapshot are one exchange; the identify line is read and kept out of the dump', async () => {
			const { open, exchanges } = countingExchanges();
			await withRig({}, { open, identify: 'with-first-snapshot' }, async ({ source }) => {
				assert.equal((await source.start()).ok, true);
				assert.equal(exchanges(), 0, 'nothing run at the start');
				const reading = readingOf(await source.read({ collect: false }));
				assert.equal(exchanges(), 1);
				assert.ok(reading);
				assert.deepEqual(
					{ ...source.identity?.(), port: undefined },
					{
						implementation: 'micropython',
						version: '1.27.0',
						machine: 'JS with Emscripten',
						platform: 'webassembly',
						link: 'serial',
						port: undefined,
					},
				);
				assert.equal(source.info?.hasMemInfo, true);
				assert.doesNotMatch(reading.snapshot.text ?? '', /name=|webassembly/);
				assert.deepEqual(reading.snapshot.warnings, []);
				// Later snapshots are the dump alone.
				assert.ok(readingOf(await source.read({ collect: true })));
				assert.equal(exchanges(), 2);
			});
		});

		test('a build without mem_info is found by the first snapshot, which then reads the GC totals', async () => {
			const { open, exchanges } = countingExchanges();
			await withRig(
				{ heapBytes: 32 * 1024, flavour: 'circuitpython' },
				{ open, identify: 'with-first-snapshot' },
				async ({ source }) => {
					await source.start();
					const reading = readingOf(await source.read({ collect: false }));
					assert.equal(reading?.snapshot.gcModuleOnly?.firmware, 'circuitpython');
					assert.equal(source.info?.implementation, 'circuitpython');
					assert.equal(source.info?.hasMemInfo, false);
					assert.equal(exchanges(), 2);
					assert.ok(readingOf(await source.read({ collect: false }))?.snapshot.gcModuleOnly);
					assert.equal(exchanges(), 3, 'no mem_info tried again');
				},
			);
		});

		test('anything else asked before the first snapshot asks what the board is first', async () => {
			await withRig({}, { identify: 'with-first-snapshot' }, async ({ source }) => {
				await source.start();
				const info = () => source.info;
				assert.equal(info(), undefined);
				const ran = await source.execute('print(6*7)');
				assert.equal(ran.ok && Buffer.from(ran.stdout).toString().trim(), '42');
				assert.equal(info()?.platform, 'webassembly');
			});
		});

		test(
			'a heap too full to compile the longer command: said, and the dump is tried alone',
			{ timeout: 20_000 },
			async () => {
				const mainProgram =
					'keep = None\nfor n in (64, 16, 1):\n    try:\n        while True:\n            keep = (keep, bytearray(n))\n    except MemoryError:\n        pass\n';
				await withRig(
					{ heapBytes: 16 * 1024, mainProgram },
					{ identify: 'with-first-snapshot' },
					async ({ source, events }) => {
						await source.start();
						assert.equal(readingOf(await source.read({ collect: false })), undefined);
						const problems = events.flatMap((event) => (event.type === 'problem' ? [event.message] : []));
						assert.ok(
							problems.some((message) => /too full to ask the board what it is/.test(message)),
							problems.join('; '),
						);
						assert.ok(problems.some((message) => /no room to run even the snapshot command/.test(message)));
						assert.equal(source.status, 'live');
					},
				);
			},
		);
	},
);

describe('the failures of issue 10, on the virtual board', { timeout: 120_000, skip: socatSkip() }, () => {
	test('a stalled line is not answering, never busy; live again soon after it is back, with no Ctrl-C', async () => {
		const { open, written } = keepingWrites();
		await withRig({}, { repl: { inactivityTimeoutMs: 400 }, open }, async ({ board, source, events }) => {
			await friendly(board.path, 'kept_before_heaptop = 4242');
			assert.equal((await source.start()).ok, true);
			assert.ok(readingOf(await source.read({ collect: false })));
			written.length = 0;
			const seen = events.length;
			const cutForMs = 3000;
			const armedAt = Date.now();
			board.arm({ cutAfterBytes: 200, cutForMs });
			const cut = await source.read({ collect: false });
			assert.ok(!cut.ok || cut.reading.incomplete === true, 'never taken as whole');
			await statusReached(source, 'not-answering');
			await statusReached(source, 'live');
			const lateMs = Date.now() - (armedAt + cutForMs);
			const statuses = events.slice(seen).flatMap((event) => (event.type === 'status' ? [event.status] : []));
			assert.ok(!statuses.includes('busy'), `a stall is not a running program: ${statuses.join(', ')}`);
			assert.ok(!written.includes(0x03), 'no Ctrl-C was sent to bring it back');
			// The cut began after arming, so it ended no earlier than armedAt + cutForMs.
			assert.ok(lateMs < 1500, `live ${lateMs} ms after the line came back`);
			assert.ok(readingOf(await source.read({ collect: false })));
			await source.close();
			assert.match(await friendly(board.path, 'print(kept_before_heaptop)'), /\r\n4242\r\n>>> $/);
		});
	});

	test('a board left in paste mode is taken over: Ctrl-C leaves it, and the status says so', async () => {
		await withRig({}, {}, async ({ board, source, events }) => {
			await friendly(board.path, 'kept_before_heaptop = 4242');
			// Ctrl-E: paste mode, and half a paste typed into it.
			await typeRaw(board.path, '\x05', '=== ');
			await typeRaw(board.path, "pasted_half = 'never run'\r", '=== ');
			const started = await source.start();
			assert.deepEqual(started, { ok: true });
			const messages = events.flatMap((event) => (event.type === 'status' && event.message ? [event.message] : []));
			assert.ok(
				messages.some((message) => /a paste in progress was cancelled/.test(message)),
				messages.join('; '),
			);
			assert.ok(readingOf(await source.read({ collect: true })));
			await source.close();
			assert.match(await friendly(board.path, 'print(kept_before_heaptop)'), /\r\n4242\r\n>>> $/);
			assert.match(await friendly(board.path, "print('pasted_half' in globals())"), /\r\nFalse\r\n>>> $/);
		});
	});

	test("a snapshot's used is what pyboard.py's byte sequence gets for the same command, and nothing is left behind", async () => {
		await withRig({}, {}, async ({ board, source }) => {
			const used = (text: string) => {
				const parsed = parseMemInfo(text);
				assert.ok(parsed.ok, text);
				return parsed.snapshot.gc.usedBytes;
			};
			const before = (await runAllAsPyboard(board.path, [collectSnapshotCode, collectSnapshotCode])).map(used);
			assert.equal((await source.start()).ok, true);
			const first = readingOf(await source.read({ collect: true }));
			const second = readingOf(await source.read({ collect: true }));
			await source.close();
			const afterwards = (await runAllAsPyboard(board.path, [collectSnapshotCode, collectSnapshotCode])).map(used);
			assert.ok(first && second);
			// The WebAssembly VM collects only when a command returns, so a session's first dump still shows the
			// garbage of the commands before it (pyboard.py's too: its first and second differ). The second is clean.
			assert.equal(
				second.snapshot.gc.usedBytes,
				before[1],
				`heaptop ${second.snapshot.gc.usedBytes}, pyboard.py ${before[1]}`,
			);
			// The same for what heaptop leaves behind: the second dump of pyboard.py's next session is as before.
			assert.equal(afterwards[1], before[1], 'heaptop left nothing on the heap');
		});
	});
	test('profile --port agrees with collect, mem_free, run, collect, mem_free done by hand, within 16 B a statement', async () => {
		// Statements of 165-205 characters: in classic raw mode they would grow the raw REPL's line buffer.
		const statements = [
			"data = {'alpha': 1, 'beta': 2, 'gamma': 3, 'delta': 4, 'epsilon': 5, 'zeta': 6, 'eta': 7, 'theta': 8, 'iota': 9, 'kappa': 10, 'lambda_': 11, 'mu': 12, 'nu': 13, 'xi': 14}",
			"buf = bytearray(100) if len(data) > 3 and 'alpha' in data and 'beta' in data and 'gamma' in data and 'delta' in data and 'epsilon' in data and 'zeta' in data else None",
			"words = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth', 'eleventh', 'twelfth', 'thirteenth', 'fourteenth', 'fifteenth', 'sixteenth']",
			'small = [1, 2, 3]',
		];
		const script = join(dir, 'long-statements.py');
		writeFileSync(script, `${statements.join('\n')}\n`);
		const collect = "__import__('gc').collect()";
		const free = "print(__import__('gc').mem_free())";
		let byHand: number[] = [];
		await withRig({}, {}, async ({ board }) => {
			const codes = [collect, free, ...statements.flatMap((statement) => [statement, collect, free])];
			const frees = (await runAllAsPyboard(board.path, codes, 30_000))
				.filter((_, index) => index === 1 || (index > 1 && (index - 1) % 3 === 0))
				.map((text) => Number(text.trim()));
			byHand = frees.slice(1).map((after, index) => (frees[index] ?? 0) - after);
		});
		await withRig({}, {}, async ({ board }) => {
			const run = await heaptopAsync(['profile', script, '--port', board.path, '--json']);
			assert.equal(run.code, 0, run.stderr);
			const costs = JSON.parse(run.stdout) as { retainedBytes: number }[];
			const measured = costs.map((cost) => cost.retainedBytes);
			assert.equal(measured.length, statements.length);
			for (const [index, bytes] of measured.entries()) {
				const expected = byHand[index] ?? Number.NaN;
				assert.ok(
					Math.abs(bytes - expected) <= 16,
					`statement ${index + 1}: profile ${bytes} B, by hand ${expected} B`,
				);
			}
			process.stdout.write(`# profile ${measured.join(' ')} B, by hand ${byHand.join(' ')} B\n`);
		});
	});
});
