import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startVirtualBoard } from '../../source/sources/virtual-board.js';
import { type BenchRow, median } from './measure.js';

/**
 * Start-up against the tools people use instead, as ratios measured in one run (the machine is shared and
 * noisy: absolute times say little, ratios of interleaved runs say more). Every command is a whole process,
 * run in turn with the others, round after round; each figure is the median of its rounds after the first.
 *
 * Peers: `node -e 0` (the floor for any Node program); pyboard.py's byte sequence, written for this bench in
 * Python's standard library (`pyboard-sequence.py`: always at hand, and quicker than pyboard.py itself, which
 * imports pyserial); and, where a MicroPython checkout and a Python with pyserial are at hand, the real
 * `pyboard.py` and `mpremote` (HEAPTOP_BENCH_TOOLS, default /work/fw/micropython/tools). And the Node floor
 * (`node-floor.cjs`): pyboard.py's exchange in as little Node as does it, on heaptop's own native addon, which
 * says how near pyboard.py any Node program can read a dump. Boards: the virtual
 * board, and a real one when HEAPTOP_BENCH_PORT names its port (one client at a time: nothing else may use it).
 */

// HEAPTOP_BENCH_CLI: another build to compare with, e.g. main's, for a commit's before and after.
const cliPath = process.env.HEAPTOP_BENCH_CLI ?? new URL('../../dist/cli.cjs', import.meta.url).pathname;
const sequencePath = new URL('./pyboard-sequence.py', import.meta.url).pathname;
const nodeFloorPath = new URL('./node-floor.cjs', import.meta.url).pathname;
const toolsDir = process.env.HEAPTOP_BENCH_TOOLS ?? '/work/fw/micropython/tools';
const snapshotCommand = 'import micropython; micropython.mem_info(1)';
const rounds = Number(process.env.HEAPTOP_BENCH_ROUNDS ?? 11);

type Command = { name: string; argv: string[]; env?: Record<string, string> };
/** Wall time, and the CPU time the process used (user + system, from /usr/bin/time where it is at hand). */
type Timed = { ms: number; cpuMs?: number; error?: string };

// On a machine shared by many, wall time is mostly waiting for a core; CPU time says what the process cost.
const timeBinary = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const CPU_MARK = 'heaptop-bench-cpu';

/** A Python that can import `module`, or undefined. Pyenv's shims cost 200 ms a start: the real binary is used. */
function python(module?: string): string | undefined {
	for (const candidate of ['/usr/bin/python3', 'python3']) {
		const check = spawnSync(
			candidate,
			['-c', `import sys${module ? `, ${module}` : ''}; sys.stdout.write(sys.executable)`],
			{ encoding: 'utf8' },
		);
		if (check.status === 0 && check.stdout) return check.stdout;
	}
	return undefined;
}

/** Runs a process to its end without blocking this one (the virtual board is served from here). */
function runOnce(command: Command): Promise<{ code: number | null; stderr: string; cpuMs?: number }> {
	return new Promise((resolve) => {
		const argv = timeBinary ? [timeBinary, '-f', `${CPU_MARK} %U %S`, ...command.argv] : command.argv;
		const [file = '', ...args] = argv;
		const child = spawn(file, args, {
			stdio: ['ignore', 'ignore', 'pipe'],
			timeout: 30_000,
			env: { ...process.env, ...command.env },
		});
		let stderr = '';
		child.stderr?.on('data', (data: Buffer) => {
			stderr += data.toString();
		});
		child.on('error', (error) => resolve({ code: -1, stderr: error.message }));
		child.on('close', (code) => {
			const mark = new RegExp(`${CPU_MARK} ([\\d.]+) ([\\d.]+)`).exec(stderr);
			const rest = stderr
				.replace(/^.*heaptop-bench-cpu.*$/m, '')
				.replace(/^Command exited with non-zero status.*$/m, '');
			if (!mark) return resolve({ code, stderr: rest });
			resolve({ code, stderr: rest, cpuMs: (Number(mark[1]) + Number(mark[2])) * 1000 });
		});
	});
}

/** Each command once per round, in turn; the first round warms the file cache and is dropped. */
async function interleaved(commands: Command[]): Promise<Map<string, Timed>> {
	const durations = new Map<string, number[]>(commands.map((command) => [command.name, []]));
	const cpu = new Map<string, number[]>(commands.map((command) => [command.name, []]));
	const errors = new Map<string, string>();
	for (let round = 0; round <= rounds; round++) {
		for (const command of commands) {
			if (errors.has(command.name)) continue;
			const start = performance.now();
			const result = await runOnce(command);
			const ms = performance.now() - start;
			if (result.code !== 0) {
				errors.set(command.name, `failed (${result.code}): ${result.stderr.trim().split('\n').at(-1) ?? ''}`);
			} else if (round > 0) {
				durations.get(command.name)?.push(ms);
				if (result.cpuMs !== undefined) cpu.get(command.name)?.push(result.cpuMs);
			}
		}
	}
	return new Map(
		commands.map((command) => {
			const error = errors.get(command.name);
			return [
				command.name,
				error === undefined
					? {
							ms: median(durations.get(command.name) ?? []),
							...(cpu.get(command.name)?.length ? { cpuMs: median(cpu.get(command.name) ?? []) } : {}),
						}
					: { ms: Number.NaN, error },
			];
		}),
	);
}

function ratio(of: Timed | undefined, to: Timed | undefined): string {
	if (!of || !to || Number.isNaN(of.ms) || Number.isNaN(to.ms)) return 'n/a';
	const cpu = of.cpuMs !== undefined && to.cpuMs ? ` (CPU ${(of.cpuMs / to.cpuMs).toFixed(2)}×)` : '';
	return `${(of.ms / to.ms).toFixed(2)}×${cpu}`;
}

function cpuNote(timed: Timed | undefined): string {
	return timed?.cpuMs === undefined ? '' : `CPU ${timed.cpuMs.toFixed(0)} ms`;
}

/**
 * `command` once more as `NAME-no-certs` with NODE_EXTRA_CA_CERTS unset, where the machine sets it (some do, for
 * a company's proxy): every Node process then reads and parses those certificates before it runs a line. That
 * floor is the machine's, and shown apart; the aims are judged as the machine is.
 */
function withoutExtraCerts(command: Command): Command[] {
	if (!process.env.NODE_EXTRA_CA_CERTS) return [];
	return [{ ...command, name: `${command.name}-no-certs`, env: { ...command.env, NODE_EXTRA_CA_CERTS: '' } }];
}

/** The peers on one board (`port`), with heaptop's one snapshot among them. */
function boardCommands(port: string, pythonSerial: string | undefined, pythonPlain: string | undefined): Command[] {
	const heaptop: Command = { name: 'heaptop', argv: [process.execPath, cliPath, '--once', '--json', '--port', port] };
	const commands: Command[] = [
		heaptop,
		// In the same rounds: how near mpremote any Node program can start, and how near pyboard.py any Node
		// program can read a dump.
		{ name: 'node', argv: [process.execPath, '-e', '0'] },
		{ name: 'floor', argv: [process.execPath, nodeFloorPath, port, snapshotCommand] },
	];
	// Python pays nothing for NODE_EXTRA_CA_CERTS: heaptop is also timed as a machine without it would run it.
	commands.push(...withoutExtraCerts(heaptop));
	if (pythonPlain) commands.push({ name: 'sequence', argv: [pythonPlain, sequencePath, port, snapshotCommand] });
	if (pythonSerial && existsSync(join(toolsDir, 'pyboard.py'))) {
		commands.push({
			name: 'pyboard',
			argv: [pythonSerial, join(toolsDir, 'pyboard.py'), '-d', port, '--no-soft-reset', '-c', snapshotCommand],
		});
	}
	if (pythonSerial && existsSync(join(toolsDir, 'mpremote', 'mpremote'))) {
		commands.push({
			name: 'mpremote',
			argv: [pythonSerial, '-m', 'mpremote', 'connect', port, 'resume', 'exec', snapshotCommand],
			env: { PYTHONPATH: join(toolsDir, 'mpremote') },
		});
	}
	return commands;
}

function boardRows(label: string, times: Map<string, Timed>, peersNote: string): BenchRow[] {
	const heaptop = times.get('heaptop');
	const sequence = times.get('sequence');
	const pyboard = times.get('pyboard');
	const mpremote = times.get('mpremote');
	const node = times.get('node');
	const floor = times.get('floor');
	const rows: BenchRow[] = [];
	const row = (name: string, timed: Timed | undefined, note: string) => {
		if (timed)
			rows.push({
				name,
				value: timed.ms,
				unit: 'ms',
				note: timed.error ?? [cpuNote(timed), note].filter(Boolean).join('; '),
			});
	};
	row(`pyboard.py's byte sequence, ${label}`, sequence, 'stdlib Python, no pyserial: the floor');
	row(`pyboard.py --no-soft-reset -c, ${label}`, pyboard, '');
	row(`mpremote connect resume exec, ${label}`, mpremote, '');
	if (!pyboard || !mpremote) rows.push({ name: `  (peers on ${label})`, value: Number.NaN, unit: '', note: peersNote });
	row(
		`node -e 0, in the same rounds, ${label}`,
		node,
		mpremote ? `${ratio(node, mpremote)} mpremote: no Node program starts below this` : '',
	);
	row(
		`Node floor (node-floor.cjs), ${label}`,
		floor,
		`pyboard.py's exchange on heaptop's native addon, nothing else: ${ratio(floor, pyboard ?? sequence)} ${pyboard ? 'pyboard.py' : 'the byte sequence'}`,
	);
	row(
		`heaptop --once --json --port, ${label}`,
		heaptop,
		[
			`${ratio(heaptop, mpremote)} mpremote (aim ≤ 0.5×)`,
			`${ratio(heaptop, pyboard ?? sequence)} ${pyboard ? 'pyboard.py' : 'the byte sequence'} (aim ≤ 2×)`,
			...(pyboard ? [`${ratio(heaptop, sequence)} the sequence`] : []),
			`${ratio(heaptop, floor)} the Node floor`,
		].join(', '),
	);
	const noCerts = times.get('heaptop-no-certs');
	row(
		`  same, NODE_EXTRA_CA_CERTS unset, ${label}`,
		noCerts,
		[
			`${ratio(noCerts, mpremote)} mpremote`,
			`${ratio(noCerts, pyboard ?? sequence)} ${pyboard ? 'pyboard.py' : 'the byte sequence'}`,
			'not the aim: the peers run as the machine is',
		].join(', '),
	);
	return rows;
}

export async function benchStartup(): Promise<BenchRow[]> {
	const pythonPlain = python();
	const pythonSerial = python('serial');
	const peersNote = !existsSync(toolsDir)
		? `pyboard.py and mpremote skipped: no ${toolsDir} (set HEAPTOP_BENCH_TOOLS to a MicroPython checkout's tools)`
		: pythonSerial === undefined
			? 'pyboard.py and mpremote skipped: no Python here imports serial (pip install pyserial)'
			: 'a peer failed: see its row';
	const rows: BenchRow[] = [];

	const extraCerts = process.env.NODE_EXTRA_CA_CERTS;
	const node: Command = { name: 'node', argv: [process.execPath, '-e', '0'] };
	const version: Command = { name: 'version', argv: [process.execPath, cliPath, '--version'] };
	const bare = await interleaved([node, version, ...withoutExtraCerts(node), ...withoutExtraCerts(version)]);
	rows.push({
		name: 'node -e 0',
		value: bare.get('node')?.ms ?? Number.NaN,
		unit: 'ms',
		note: [cpuNote(bare.get('node')), 'the floor'].filter(Boolean).join('; '),
	});
	rows.push({
		name: 'heaptop --version',
		value: bare.get('version')?.ms ?? Number.NaN,
		unit: 'ms',
		note: bare.get('version')?.error ?? `${ratio(bare.get('version'), bare.get('node'))} node -e 0 (aim ≤ 1.3×)`,
	});
	if (extraCerts) {
		const plain = bare.get('node-no-certs');
		rows.push({
			name: '  node -e 0, NODE_EXTRA_CA_CERTS unset',
			value: plain?.ms ?? Number.NaN,
			unit: 'ms',
			note: `this machine sets it (${extraCerts}): ${((bare.get('node')?.ms ?? Number.NaN) - (plain?.ms ?? Number.NaN)).toFixed(0)} ms of every Node start`,
		});
		rows.push({
			name: '  heaptop --version, NODE_EXTRA_CA_CERTS unset',
			value: bare.get('version-no-certs')?.ms ?? Number.NaN,
			unit: 'ms',
			note: `${ratio(bare.get('version-no-certs'), plain)} node -e 0 unset`,
		});
	}

	const dir = mkdtempSync(join(tmpdir(), 'heaptop-bench-startup-'));
	try {
		const board = await startVirtualBoard({ ptyPath: join(dir, 'board') });
		try {
			const times = await interleaved(boardCommands(board.path, pythonSerial, pythonPlain));
			rows.push(...boardRows('virtual board', times, peersNote));
		} finally {
			await board.close();
		}
	} catch (error) {
		rows.push({ name: 'virtual board', value: Number.NaN, unit: '', note: `skipped: ${String(error)}` });
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}

	const realPort = process.env.HEAPTOP_BENCH_PORT;
	if (realPort) {
		const times = await interleaved(boardCommands(realPort, pythonSerial, pythonPlain));
		rows.push(...boardRows('HEAPTOP_BENCH_PORT', times, peersNote));
	} else {
		rows.push({
			name: 'a real board',
			value: Number.NaN,
			unit: '',
			note: 'skipped: set HEAPTOP_BENCH_PORT to a board no one else is using',
		});
	}
	return rows;
}
