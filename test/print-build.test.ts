import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { cliPath } from './helpers/heaptop.js';
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

type Loads = { dist: Set<string>; packages: Set<string>; builtins: Set<string> };

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
	};
}

/** Runs `heaptop ARGS` with its stdout a pipe, and says what it loaded. */
function loadsOf(args: string[]): Loads & { code: number | null; stdout: string } {
	const file = join(scratch, `loads-${++runs}.txt`);
	const result = spawnSync(process.execPath, ['--import', logLoads, cliPath, ...args], {
		encoding: 'utf8',
		input: '',
		timeout: 60_000,
		env: { ...process.env, HEAPTOP_TEST_LOADS: file },
	});
	return { ...readLoads(file), code: result.status, stdout: result.stdout };
}

const version = loadsOf(['--version']);

test('heaptop --version loads neither build of the command line', () => {
	assert.equal(version.code, 0);
	assert.ok(version.dist.has('cli.js'));
	assert.ok(!version.dist.has('print.js'), [...version.dist].join(' '));
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
		assert.ok(run.dist.has('print.js'), [...run.dist].join(' '));
		// Beyond print.js, only what `--version` loads too: the start and its few small chunks.
		const extra = [...run.dist].filter((name) => name !== 'print.js' && !version.dist.has(name));
		assert.deepEqual(extra, [], 'chunks of the whole program were loaded');
		for (const name of networkOnly) assert.ok(!run.builtins.has(name), `${name} was loaded`);
		for (const name of ['ink', 'react']) assert.ok(!run.packages.has(name), `${name} was loaded`);
		// The emulator's VM only when the run is the emulator's.
		const vm = '@micropython/micropython-webassembly-pyscript';
		assert.equal(run.packages.has(vm), args.includes('--demo'), `${vm} loaded: ${run.packages.has(vm)}`);
	});
}

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
		assert.ok(loads.dist.size > version.dist.size, 'the live screen loaded none of the whole program');
	},
);
