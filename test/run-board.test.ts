import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { parseAllMemInfo } from '../source/heap/parse.js';
import { startVirtualBoard, type VirtualBoard } from '../source/sources/virtual-board.js';
import { friendly } from './helpers/friendly-repl.js';
import { cliPath, heaptopAsync } from './helpers/heaptop.js';
import { socatSkip } from './helpers/socat.js';

/*
 * `heaptop run SCRIPT --port` against the virtual board (the real MicroPython VM behind a real pseudo-terminal,
 * opened by the real serialport binding), run as the built command.
 */

const dir = mkdtempSync(join(tmpdir(), 'heaptop-run-board-'));
let serialNumber = 0;
after(() => rmSync(dir, { recursive: true, force: true }));
const skip = socatSkip();

async function withBoard(body: (board: VirtualBoard) => Promise<void>): Promise<void> {
	const board = await startVirtualBoard({ ptyPath: join(dir, `board-${serialNumber++}`) });
	try {
		await body(board);
	} finally {
		await board.close();
	}
}

function script(name: string, text: string): string {
	const path = join(dir, name);
	writeFileSync(path, text);
	return path;
}

// Fragments the heap, prints its own dump just before the big allocation, then asks for 100,000 bytes.
const FRAGMENTING = `import micropython
chunks = []
for i in range(60):
    chunks.append(bytearray(1500))
    chunks.append(bytearray(600))
for i in range(0, len(chunks), 2):
    chunks[i] = None
print('fragmented')
micropython.mem_info(1)
big = bytearray(100000)
`;

describe('heaptop run --port', { timeout: 180_000, skip }, () => {
	test('a MemoryError: the traceback, the heap as the failure left it, and whether the size would fit there', async () => {
		await withBoard(async (board) => {
			const path = script('fragment.py', FRAGMENTING);
			const run = await heaptopAsync(['run', path, '--port', board.path, '--json']);
			assert.equal(run.code, 1, run.stderr);
			// With --json the script's own output goes to stderr, the report to stdout.
			assert.match(run.stderr, /^fragmented\n/);
			assert.match(
				run.stderr,
				new RegExp(
					`File "${path}", line 10, in <module>\\nMemoryError: memory allocation failed, allocating 100000 bytes\\n`,
				),
			);
			const report = JSON.parse(run.stdout);
			const [printed] = parseAllMemInfo(run.stderr);
			assert.ok(printed, 'the dump the script printed before the failing allocation');
			// The failing allocation collected before it raised (as gc_alloc does on a board, and this VM once
			// control is back in JavaScript): the dropped chunks are gone, the 60 kept ones are there, and heaptop
			// itself did not have to collect to read the heap.
			assert.equal(printed.map?.kinds.A?.objects, 120);
			assert.ok(
				Math.abs((report.metrics.kinds.A.objects as number) - 60) <= 1,
				`${report.metrics.kinds.A.objects} arrays`,
			);
			assert.doesNotMatch(run.stderr, /collected first/);
			assert.ok(report.gc.freeBytes > 100_000, `${report.gc.freeBytes} B free`);
			assert.ok(report.metrics.largestAllocatableBytes < 100_000);
			assert.equal(report.fit.bytes, 100_000);
			assert.equal(report.fit.fits, false);
			assert.ok(report.fit.cheapest.objectCount > 0);
			assert.ok(report.metrics.blockers.length > 0);

			// The board is back at its friendly prompt with the script's variables: run in __main__, never reset.
			assert.match(await friendly(board.path, 'print(len(chunks))'), /\r\n120\r\n/);
		});
	});

	test('in words: the script output as it comes, then the heap and why the allocation failed', async () => {
		await withBoard(async (board) => {
			const path = script('fragment-words.py', FRAGMENTING.replace('micropython.mem_info(1)\n', ''));
			const run = await heaptopAsync(['run', path, '--port', board.path]);
			assert.equal(run.code, 1, run.stderr);
			assert.match(run.stdout, /^fragmented\n\nheap when .* raised:\nGC {8}total /);
			const why = run.stdout.slice(run.stdout.indexOf('why the allocation of 100000 bytes failed:'));
			assert.match(
				why,
				/^why the allocation of 100000 bytes failed:\nfit {7}100,000 B \(6,250 blocks of 16 B\) does not fit: /,
			);
			assert.match(why.replaceAll(/\n {10}/g, ' '), /It would fit at 0x[0-9a-f]+ but for \d+ objects \([\d,]+ B\)/);
		});
	});

	test('a script that ends: its output, the heap it left, exit 0; no answer about fitting', async () => {
		await withBoard(async (board) => {
			const path = script('fine.py', "kept = bytearray(5000)\nprint('done', len(kept))\n");
			const run = await heaptopAsync(['run', path, '--port', board.path]);
			assert.equal(run.code, 0, run.stderr);
			assert.match(run.stdout, /^done 5000\n\nheap when .* ended:\n/);
			assert.doesNotMatch(run.stdout, /why the allocation/);
			assert.equal(run.stderr, '');
		});
	});

	test('output is shown while the script still runs, and Ctrl-C stops it and leaves the board at >>>', async () => {
		await withBoard(async (board) => {
			const path = script(
				'forever.py',
				"import time\nn = 0\nwhile True:\n    n += 1\n    print('tick', n)\n    time.sleep(0.05)\n",
			);
			const child = spawn(process.execPath, [cliPath, 'run', path, '--port', board.path], {
				stdio: ['ignore', 'pipe', 'pipe'],
			});
			let stdout = '';
			let stderr = '';
			child.stderr.on('data', (chunk: Buffer) => {
				stderr += chunk.toString();
			});
			const ended = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
			// Live: the third tick arrives while the script is still running.
			await new Promise<void>((resolve) => {
				child.stdout.on('data', (chunk: Buffer) => {
					stdout += chunk.toString();
					if (stdout.includes('tick 3\n')) resolve();
				});
			});
			child.kill('SIGINT');
			const code = await ended;
			assert.equal(code, 130, stderr);
			const first = await friendly(board.path, 'print(n)');
			const stoppedAt = Number(/\r\n(\d+)\r\n/.exec(first)?.[1]);
			assert.ok(stoppedAt >= 3, first);
			// Stopped, not left running: n no longer moves.
			assert.match(await friendly(board.path, 'print(n)'), new RegExp(`\\r\\n${stoppedAt}\\r\\n`));
		});
	});
});
