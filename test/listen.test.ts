import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { parseMemInfo } from '../source/heap/parse.js';
import { asciiBytes, concatBytes } from '../source/protocol/bytes.js';
import { createConsoleSplitter, createListenSource, listenSnippet } from '../source/sources/listen.js';
import type { Reading } from '../source/sources/source.js';
import { startVirtualBoard } from '../source/sources/virtual-board.js';
import { socatSkip } from './helpers/socat.js';
import { transcriptStep } from './helpers/transcripts.js';

const dir = mkdtempSync(join(tmpdir(), 'heaptop-listen-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('telling dumps from program output', () => {
	test('a dump between program lines becomes a snapshot, the lines stay output, at any split', () => {
		// A real dump (qemu capture) with the program's own lines around it, as a console shows them.
		const dump = transcriptStep('qemu_mps2_an385.txt', 'gc.collect; mem_info(1)').recv.subarray(2, -3);
		const stream = concatBytes([asciiBytes('tick 1\r\n\x1b[32mgreen\x1b[0m\r\n'), dump, asciiBytes('tick 2\r\n')]);
		const expected = parseMemInfo(new TextDecoder('latin1').decode(dump));
		assert.ok(expected.ok);
		for (let at = 0; at <= stream.length; at++) {
			const splitter = createConsoleSplitter();
			const first = splitter.push(stream.subarray(0, at));
			const second = splitter.push(stream.subarray(at));
			const last = splitter.end();
			const snapshots = [...first.snapshots, ...second.snapshots, ...last.snapshots];
			const lines = [...first.lines, ...second.lines, ...last.lines];
			assert.equal(snapshots.length, 1, `one dump at split ${at}`);
			assert.equal(snapshots[0]?.gc.usedBytes, expected.snapshot.gc.usedBytes);
			assert.deepEqual(lines, ['tick 1', 'green', 'tick 2'], `lines at split ${at}`);
		}
	});

	test('the snippet for the user program calls mem_info with an argument (the table) on a period', () => {
		const snippet = listenSnippet(2);
		assert.match(snippet, /micropython\.mem_info\(1\)/);
		assert.match(snippet, /period=2000/);
		assert.match(snippet, /asyncio\.sleep\(period_s\)/);
	});
});

describe('listening to a running program', { timeout: 60_000, skip: socatSkip() }, () => {
	test(
		'finds the dumps a running program prints, shows its other output, and never writes',
		{ timeout: 30_000 },
		async () => {
			const mainProgram = [
				'import micropython, time',
				'n = 0',
				'while True:',
				'    n += 1',
				"    print('loop', n)",
				'    micropython.mem_info(1)',
				'    time.sleep_ms(100)',
				'',
			].join('\n');
			const board = await startVirtualBoard({ ptyPath: join(dir, 'listen-board'), mainProgram });
			const source = createListenSource({ port: board.path, reconnectIntervalMs: 50 });
			const readings: Reading[] = [];
			const lines: string[] = [];
			try {
				const twoDumps = new Promise<void>((resolve) => {
					source.subscribe((event) => {
						if (event.type === 'output') lines.push(event.text);
						if (event.type === 'reading') readings.push(event.reading);
						if (readings.length >= 2) resolve();
					});
				});
				await source.start();
				assert.equal(source.status, 'live');
				assert.equal(source.canRead, false);
				await twoDumps;
				assert.ok(readings.every((reading) => reading.snapshot.gc.totalBytes > 0));
				assert.ok(
					lines.some((line) => /^loop \d+$/.test(line)),
					'program output reaches the log',
				);
				assert.ok(!lines.some((line) => line.startsWith('GC:')), 'dump lines are not output');
				const outcome = await source.read({ collect: true });
				assert.equal(outcome.ok ? undefined : outcome.problem.kind, 'passive');
			} finally {
				await source.close();
				assert.equal(board.inputBytes, 0, 'not one byte written to the board');
				await board.close();
			}
		},
	);
});
