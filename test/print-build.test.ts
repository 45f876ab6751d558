import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { startVirtualBoard } from '../source/sources/virtual-board.js';
import { cliPath } from './helpers/heaptop.js';
import { socatSkip } from './helpers/socat.js';
import { hasTmux, startPane } from './helpers/tmux.js';

// Which of the two builds a run loads (scripts/build.ts): the printing build, one file, for every run that
// cannot show the screen, and for none that can. Read from what the process really resolved and loaded.
const root = new URL('..', import.meta.url).pathname;
const dist = `${root}dist/`;
const logLoads = `${root}test/helpers/log-loads.mjs`;
const scratch = mkdtempSync(join(tmpdir(), 'heaptop-loads-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const fixture = `${root}test/fixtures/mem_info/esp8266-issue6086-mem_info1.txt`;

/**
 * Node's modules that only the WebSocket link needs: a snapshot from a file or the emulator loads none. (`net`
 * is not among them: a stdin or stdout that is a pipe is a socket.)
 */
const networkOnly = ['crypto', 'http', 'https', 'tls', 'zlib'];

/** `cache`: what became of the compiled code of each script the run compiled (log-loads.mjs). */
type Loads = { dist: Set<string>; packages: Set<string>; builtins: Set<string>; cache: string[] };

let runs = 0;
function readLoads(file: string): Loads {
	const lines = existsSync(file) ? readFileSync(file, 'utf8').split('\n') : [];
	const urls = lines.filter((line) => line.startsWith('file:')).map((url) => new URL(url).pathname);
	return {
		dist: new Set(urls.filter((path) => path.startsWith(dist)).map((path) => path.slice(dist.length))),
		packages: new Set(
			urls.flatMap((path) => {
				const match = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path);
				return match?.[1] ? [match[1]] : [];
			}),
		),
		builtins: new Set(lines.filter((line) => line.startsWith('builtin ')).map((line) => line.slice('builtin '.length))),
		cache: lines.filter((line) => line.startsWith('script-cache ')).map((line) => line.slice('script-cache '.length)),
	};
}

function loadsArgv(args: string[]): { argv: string[]; file: string; env: NodeJS.ProcessEnv } {
	const file = join(scratch, `loads-${++runs}.txt`);
	return { argv: ['--import', logLoads, cliPath, ...args], file, env: { ...process.env, HEAPTOP_TEST_LOADS: file } };
}

/** Runs `heaptop ARGS` with its stdout a pipe, and says what it loaded. */
function loadsOf(args: string[]): Loads & { code: number | null; stdout: string } {
	const { argv, file, env } = loadsArgv(args);
	const result = spawnSync(process.execPath, argv, { encoding: 'utf8', input: '', timeout: 60_000, env });
	return { ...readLoads(file), code: result.status, stdout: result.stdout };
}

/** The same without blocking this process, which serves the board meanwhile. */
function loadsOfAsync(args: string[]): Promise<Loads & { code: number | null; stdout: string }> {
	const { argv, file, env } = loadsArgv(args);
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'inherit'], env });
		let stdout = '';
		child.stdout.on('data', (chunk: Buffer) => {
			stdout += chunk.toString();
		});
		child.on('error', reject);
		child.on('close', (code) => resolve({ ...readLoads(file), code, stdout }));
	});
}

/**
 * What every printing run must show of its loads: print.js, run from the code the build compiled for it
 * (scripts/print-script.ts), nothing else of dist/ but the start, no screen.
 */
function assertPrintingLoads(run: Loads): void {
	assert.ok(run.dist.has('print.js'), [...run.dist].join(' '));
	assert.deepEqual(run.cache, ['accepted'], 'print.js was compiled afresh');
	// Beyond print.js, only what `--version` loads too: the start, one file.
	const extra = [...run.dist].filter((name) => name !== 'print.js' && !version.dist.has(name));
	assert.deepEqual(extra, [], 'chunks of the whole program were loaded');
	for (const name of networkOnly) assert.ok(!run.builtins.has(name), `${name} was loaded`);
	for (const name of ['ink', 'react']) assert.ok(!run.packages.has(name), `${name} was loaded`);
}

const version = loadsOf(['--version']);

test('heaptop --version loads neither build of the command line', () => {
	assert.equal(version.code, 0);
	assert.deepEqual([...version.dist], ['cli.cjs']);
	assert.deepEqual(version.cache, []);
});

/**
 * What `heaptop ARGS` loads of Node's own modules, run as a user runs it: log-loads.mjs comes in through
 * --import, which makes Node start every main as a module would, so a require hook writes the list at exit.
 */
const builtinsHook = join(scratch, 'builtins-at-exit.cjs');
writeFileSync(
	builtinsHook,
	"process.on('exit', () => require('fs').writeFileSync(process.env.HEAPTOP_TEST_BUILTINS, process.moduleLoadList.join('\\n')));",
);

function builtinsOf(args: string[]): Promise<string[]> {
	const file = join(scratch, `builtins-${++runs}.txt`);
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, ['--require', builtinsHook, cliPath, ...args], {
			stdio: ['ignore', 'ignore', 'inherit'],
			env: { ...process.env, HEAPTOP_TEST_BUILTINS: file },
		});
		child.on('error', reject);
		child.on('close', (code) => {
			if (code !== 0) reject(new Error(`heaptop ${args.join(' ')} exited ${code}`));
			else resolve(readFileSync(file, 'utf8').split('\n'));
		});
	});
}

/**
 * A printing run starts as CommonJS, without the ES module loader (scripts/bundle-options.ts `startBuildOptions`),
 * and loads no `fs/promises` (source/promised-fs.ts): each cost some milliseconds of every start.
 */
function assertLeanStart(loaded: string[], args: string[]): void {
	// Only that the hook wrote Node's list (every start loads the CommonJS loader): the checks are the absences.
	assert.ok(loaded.includes('NativeModule internal/modules/cjs/loader'), loaded.join(' '));
	for (const name of ['internal/modules/esm/module_job', 'internal/fs/promises', 'internal/readline/interface']) {
		assert.ok(!loaded.includes(`NativeModule ${name}`), `heaptop ${args.join(' ')} loaded ${name}`);
	}
}

test('the start runs without the ES module loader or fs/promises, for --version and for inspect', async () => {
	for (const args of [['--version'], ['inspect', fixture], ['inspect', fixture, '--json']]) {
		assertLeanStart(await builtinsOf(args), args);
	}
});

test('a start that cannot run its build fails the run, whatever Node does with an unhandled rejection', () => {
	// An install with print.js missing: heaptop's own failure, said as one, and exit 1 even under
	// --unhandled-rejections=warn, with which a rejection left unhandled exits 0.
	const copy = join(scratch, 'broken');
	cpSync(dist, join(copy, 'dist'), { recursive: true });
	cpSync(`${root}package.json`, join(copy, 'package.json'));
	rmSync(join(copy, 'dist', 'print.js'));
	for (const mode of ['throw', 'warn', 'none']) {
		const result = spawnSync(
			process.execPath,
			[`--unhandled-rejections=${mode}`, join(copy, 'dist', 'cli.cjs'), 'inspect', fixture],
			{
				encoding: 'utf8',
			},
		);
		assert.equal(result.status, 1, `${mode}: ${result.stderr}`);
		assert.match(result.stderr, /^heaptop: internal error, please report it:\n.*print\.js/s);
	}
});

for (const args of [
	['inspect', fixture],
	['inspect', fixture, '--json'],
	['--demo', '--once'],
	['--demo', 'fragmentation', '--json'],
]) {
	test(`heaptop ${args.join(' ').replace(root, '')} into a pipe runs the printing build and nothing of the other`, () => {
		const run = loadsOf(args);
		assert.equal(run.code, 0, run.stdout);
		assert.match(run.stdout, /free/);
		assertPrintingLoads(run);
		// The emulator's VM only when the run is the emulator's.
		const vm = '@micropython/micropython-webassembly-pyscript';
		assert.equal(run.packages.has(vm), args.includes('--demo'), `${vm} loaded: ${run.packages.has(vm)}`);
	});
}

test(
	'a snapshot of a board on a serial port runs the printing build, and no VM',
	{
		timeout: 60_000,
		skip: socatSkip(),
	},
	async () => {
		const board = await startVirtualBoard({ ptyPath: join(scratch, 'board'), heapBytes: 32 * 1024 });
		try {
			// Without --once too: stdout is no terminal, so the run prints, and stdin is never made.
			for (const lean of [
				['--once', '--json', '--port', board.path],
				['--port', board.path],
			]) {
				assertLeanStart(await builtinsOf(lean), lean);
			}
			for (const args of [['--once', '--json'], ['--once']]) {
				const run = await loadsOfAsync([...args, '--port', board.path]);
				assert.equal(run.code, 0, run.stdout);
				assert.match(run.stdout, /free/);
				assertPrintingLoads(run);
				// The board is this test's emulator, behind a pty: heaptop itself only reads a serial port.
				assert.ok(!run.packages.has('@micropython/micropython-webassembly-pyscript'), 'the VM was loaded');
			}
		} finally {
			await board.close();
		}
	},
);

test('a command line that is refused is answered by the printing build', () => {
	const run = loadsOf(['--prot', '/dev/ttyACM0']);
	assert.equal(run.code, 2);
	assert.ok(run.dist.has('print.js'));
});

test(
	'in a terminal, --once runs the printing build and the live screen the whole program',
	{ timeout: 90_000 },
	async (t) => {
		if (!hasTmux()) {
			t.skip('tmux is not installed (apt-get install -y tmux)');
			return;
		}
		const command = (args: string, file: string) =>
			`HEAPTOP_TEST_LOADS=${file} node --import ${logLoads} ${cliPath} ${args}; echo "heaptop exited $?"; exec sleep 600`;
		const onceFile = join(scratch, 'tty-once.txt');
		const once = startPane({ command: command('--demo --once', onceFile), columns: 100, rows: 40, cwd: root });
		try {
			await once.waitFor((text) => /heaptop exited 0/.test(text), '--once to print its snapshot');
		} finally {
			once.kill();
		}
		assert.ok(readLoads(onceFile).dist.has('print.js'), 'a snapshot in a terminal did not get the printing build');

		const screenFile = join(scratch, 'tty-screen.txt');
		const screen = startPane({ command: command('--demo', screenFile), columns: 100, rows: 40, cwd: root });
		try {
			await screen.waitFor((text) => text.includes('q quit'), 'the live screen');
			screen.sendKeys('q');
			await screen.waitFor((text) => /heaptop exited 0/.test(text), 'heaptop to quit');
		} finally {
			screen.kill();
		}
		const loads = readLoads(screenFile);
		assert.ok(!loads.dist.has('print.js'), 'the live screen loaded the printing build');
		assert.ok(loads.dist.has('main.js'), 'the live screen loaded none of the whole program');
	},
);
