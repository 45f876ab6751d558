import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchRow } from './measure.js';

/**
 * `inspect` on hostile-sized input (issue 11): a 1 GB console log (named, and piped to `inspect -`), 300 MB
 * with no dump (named and piped: one line, exit 2), a log of 10^6 dumps (the last, `--all`, `--all --json`),
 * and a dump whose elision line claims 2^30 rows. Each runs as a user runs it, the built
 * command with its output to /dev/null, under /usr/bin/time for wall time and peak RSS; beside each, a bare
 * read by node of the same bytes fed the same way, the floor any reader pays. The files are made from real captures in a temporary
 * folder and removed after.
 */

const cli = new URL('../../dist/cli.cjs', import.meta.url).pathname;
const fixture = (name: string) =>
	readFileSync(new URL(`../fixtures/mem_info/${name}`, import.meta.url).pathname, 'latin1');

/** Writes `total` bytes made of `piece` repeated, in large writes. */
function writeRepeated(path: string, piece: string, count: number): number {
	const fd = openSync(path, 'w');
	const block = Buffer.from(piece.repeat(Math.max(1, Math.floor((4 * 1024 * 1024) / piece.length))), 'latin1');
	const perBlock = Math.max(1, Math.floor((4 * 1024 * 1024) / piece.length));
	let left = count;
	while (left >= perBlock) {
		writeSync(fd, block);
		left -= perBlock;
	}
	if (left > 0) writeSync(fd, Buffer.from(piece.repeat(left), 'latin1'));
	closeSync(fd);
	return statSync(path).size;
}

/** How the input reaches the command: named as a file, or piped to standard input (`cat FILE | … -`). */
type Feed = 'file' | 'pipe';

/** Wall seconds and peak RSS in MB of one command, its exit status and the last line it wrote to stderr. */
function measured(
	args: string[],
	path: string,
	feed: Feed,
): { seconds: number; peakMb: number; status: number | null; said: string } {
	// /usr/bin/time measures the command alone, not the cat feeding it.
	const run =
		feed === 'file'
			? spawnSync('/usr/bin/time', ['-f', '%e %M', ...args, path], {
					encoding: 'utf8',
					stdio: ['ignore', 'ignore', 'pipe'],
					maxBuffer: 16 * 1024 * 1024,
				})
			: spawnSync('sh', ['-c', 'cat "$0" | /usr/bin/time -f "%e %M" "$@"', path, ...args], {
					encoding: 'utf8',
					stdio: ['ignore', 'ignore', 'pipe'],
					maxBuffer: 16 * 1024 * 1024,
				});
	const lines = run.stderr.trim().split('\n');
	const [seconds = Number.NaN, kilobytes = Number.NaN] = (lines.at(-1) ?? '').split(' ').map(Number);
	const said = (lines.filter((line) => line.startsWith('heaptop:')).at(-1) ?? '').slice(0, 100);
	return { seconds, peakMb: kilobytes / 1024, status: run.status, said };
}

const BARE_READ =
	"const s=require('fs').createReadStream(process.argv[1],{highWaterMark:1<<20});let n=0;s.on('data',c=>{n+=c.length});";
const BARE_STDIN = "let n=0;process.stdin.on('data',c=>{n+=c.length});";

/**
 * The rows for one input: inspect's time against a bare read fed the same way, and its peak memory. `expect`
 * is the exit status a user gets (2 for input with no dump: its one line is shown).
 */
function rows(
	label: string,
	path: string,
	extra: string[],
	feed: Feed = 'file',
	expect = 0,
	printsDumps?: number,
): BenchRow[] {
	const bare =
		feed === 'file'
			? measured([process.execPath, '-e', BARE_READ], path, feed)
			: measured([process.execPath, '-e', BARE_STDIN], path, feed);
	const inspect = measured([process.execPath, cli, 'inspect', ...extra, ...(feed === 'pipe' ? ['-'] : [])], path, feed);
	const times = `${(inspect.seconds / bare.seconds).toFixed(1)}x a bare read (${(bare.seconds * 1000).toFixed(0)} ms`;
	// The 3x aim is for reading a file to its last dump. `--all` prints every dump it holds, so what it is held
	// to is the cost of one printed dump, not the read.
	const ratio =
		printsDumps === undefined
			? `${times}; aim ≤ 3x)`
			: `${times}); ${((inspect.seconds * 1e6) / printsDumps).toFixed(0)} µs for each of ${printsDumps.toLocaleString('en-US')} printed dumps, no aim`;
	const note =
		inspect.status !== expect
			? `failed (exit ${inspect.status}): ${inspect.said}`
			: expect === 0
				? ratio
				: `${ratio}; exit ${expect}, one line: ${inspect.said.slice(0, 60)}…`;
	const how = feed === 'pipe' ? ' piped to -' : '';
	return [
		{
			name: `inspect ${extra.join(' ')} ${label}${how}`.replace(/ +/g, ' '),
			value: inspect.seconds * 1000,
			unit: 'ms',
			note,
		},
		{
			name: '  peak RSS',
			value: inspect.peakMb,
			unit: 'MB',
			note: `aim < 200 MB; a bare read peaks at ${bare.peakMb.toFixed(0)} MB`,
		},
	];
}

/** The qemu capture with its elision line claiming `rows` rows, the figures made to agree. */
function withElision(rows: number): string {
	const extra = (rows - 128) * 64 * 16;
	return fixture('qemu-mps2an385-v1.29pre-mem_info1.txt')
		.replace('(128 lines all free)', `(${rows} lines all free)`)
		.replace(
			/GC: total: (\d+), used: (\d+), free: (\d+)/,
			(_, total, used, free) => `GC: total: ${Number(total) + extra}, used: ${used}, free: ${Number(free) + extra}`,
		)
		.replace(/^([0-9a-f]{8}): /gm, (line, label: string) => {
			const offset = Number.parseInt(label, 16);
			return offset >= 0x22000 ? `${((offset + extra) % 2 ** 32).toString(16).padStart(8, '0')}: ` : line;
		})
		.replace(/max free sz: \d+/, 'max free sz: 0');
}

export async function benchInspectInput(): Promise<BenchRow[]> {
	const directory = mkdtempSync(join(tmpdir(), 'heaptop-bench-inspect-'));
	try {
		const out: BenchRow[] = [];
		// A program's console: a line of its own output every so often, a 192 KiB heap's dump among them.
		const noise = `${'sensor 12.5 C, 48 % rH, wifi -61 dBm, loop 1234 ms '.repeat(2)}\n`.repeat(40);
		const log = join(directory, 'console-1gb.log');
		const piece = `${noise}${fixture('webassembly-v1.27-fragmented-192k.txt')}`;
		const bytes = writeRepeated(log, piece, Math.ceil(1e9 / piece.length));
		out.push(...rows(`a ${(bytes / 1e9).toFixed(2)} GB console log`, log, []));
		out.push(...rows(`a ${(bytes / 1e9).toFixed(2)} GB console log`, log, [], 'pipe'));
		rmSync(log);
		// The same program's console with no dump in it at all: one line, exit 2.
		const quiet = join(directory, 'console-no-dump.log');
		const quietBytes = writeRepeated(quiet, noise, Math.ceil(3e8 / noise.length));
		out.push(...rows(`${(quietBytes / 1e6).toFixed(0)} MB with no dump`, quiet, [], 'file', 2));
		out.push(...rows(`${(quietBytes / 1e6).toFixed(0)} MB with no dump`, quiet, [], 'pipe', 2));
		rmSync(quiet);
		const dumps = join(directory, 'million-dumps.log');
		const size = writeRepeated(dumps, fixture('qemu-mps2an385-v1.29pre-fresh.txt'), 1_000_000);
		out.push(...rows(`10^6 dumps (${(size / 1e6).toFixed(0)} MB)`, dumps, []));
		out.push(...rows(`10^6 dumps (${(size / 1e6).toFixed(0)} MB)`, dumps, ['--all'], 'file', 0, 1_000_000));
		out.push(...rows(`10^6 dumps (${(size / 1e6).toFixed(0)} MB)`, dumps, ['--all', '--json'], 'file', 0, 1_000_000));
		rmSync(dumps);
		const elided = join(directory, 'elision.txt');
		writeRepeated(elided, withElision(2 ** 30), 1);
		out.push(...rows('a dump with a 2^30-row elision', elided, []));
		out.push(...rows('a dump with a 2^30-row elision', elided, ['--json']));
		return out;
	} finally {
		rmSync(directory, { recursive: true, force: true });
	}
}
