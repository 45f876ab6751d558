import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseMemInfo } from '../source/heap/parse.js';
import { formatCount } from '../source/present/format.js';
import { decodeRecording } from '../source/recording/format.js';
import { plain } from './helpers/ink.js';
import { hasTmux, startPane } from './helpers/tmux.js';

// The built command in a real terminal: `heaptop --demo` in tmux at the design size and at a big one. It needs
// `npm run build` first; HEAPTOP_TMUX_COMMAND runs another command instead (any TUI entry on a source).
const root = new URL('..', import.meta.url).pathname;
const cli = `${root}dist/cli.cjs`;
const command = process.env.HEAPTOP_TMUX_COMMAND ?? `node ${cli} --demo`;

function skipReason(): string | undefined {
	if (!hasTmux()) return 'tmux is not installed (apt-get install -y tmux)';
	if (process.env.HEAPTOP_TMUX_COMMAND) return undefined;
	if (!existsSync(cli)) return 'dist/cli.cjs is missing: run npm run build';
	const help = spawnSync(process.execPath, [cli, '--help'], { encoding: 'utf8' });
	if (!`${help.stdout}${help.stderr}`.includes('--demo')) return 'dist/cli.cjs has no --demo yet';
	return undefined;
}

const skip = skipReason();

/** The replay test makes its recording with the built command itself, whatever HEAPTOP_TMUX_COMMAND says. */
function skipReplay(): string | undefined {
	if (!hasTmux()) return 'tmux is not installed (apt-get install -y tmux)';
	if (!existsSync(cli)) return 'dist/cli.cjs is missing: run npm run build';
	return undefined;
}
const EXITED = /heaptop exited (\d+)/;
const MAP_ROW = /[│|] [0-9a-f]{4,8} [.=A-Za-z]+/;

for (const [columns, rows] of [
	[80, 24],
	[200, 60],
] as const) {
	test(`heaptop --demo at ${columns}×${rows}: map, g, ?, z, q, and a clean terminal after`, { skip }, async () => {
		const pane = startPane({
			command: `${command}; echo "heaptop exited $?"; exec sleep 600`,
			columns,
			rows,
			cwd: root,
		});
		try {
			const parts = ['GC', 'stack', 'used', 'largest free', 'fragmentation', 'free', 'q quit'];
			// The whole screen, not a frame caught half-drawn: every part must be there.
			const first = await pane.waitFor(
				(text) => MAP_ROW.test(text) && text.includes('live') && parts.every((part) => text.includes(part)),
				'the whole screen, live',
			);
			assert.ok(pane.alternateOn(), 'the TUI runs on the alternate screen');
			assert.ok(!pane.cursorVisible(), 'the cursor is hidden while it runs');
			const lines = first.split('\n');
			assert.ok(lines[0]?.includes('heaptop'), 'the header is on the first line');
			for (const line of lines) assert.ok(line.length <= columns, `no line wider than the terminal: ${line}`);

			pane.sendKeys('g');
			await pane.waitFor((text) => /blocks: [\d,]+ (freed|new)|no block changed/.test(text), 'the diff counts after g');

			pane.sendKeys('?');
			await pane.waitFor((text) => text.includes('keys (Esc') && text.includes('collect'), 'the help');
			pane.sendKeys('Escape');
			await pane.waitFor((text) => MAP_ROW.test(text) && !text.includes('keys (Esc'), 'the map back');

			pane.sendKeys('0');
			await pane.waitFor((text) => text.includes('1 cell = 1 block'), 'the map at 1:1');
			pane.sendKeys('Z');
			await pane.waitFor((text) => text.includes('1 cell = 2 blocks'), 'the zoomed title');

			pane.sendKeys('q');
			const after = await pane.waitFor((text) => EXITED.test(text), 'heaptop to exit');
			assert.equal(after.match(EXITED)?.[1], '0');
			assert.ok(!pane.alternateOn(), 'the alternate screen is left');
			assert.ok(pane.cursorVisible(), 'the cursor is visible again');
			assert.ok(!MAP_ROW.test(after), 'the map is gone with the alternate screen');
		} finally {
			pane.kill();
		}
	});
}

test('after Ctrl-C the terminal is clean and the exit code is 0', { skip }, async () => {
	const pane = startPane({
		command: `${command}; echo "heaptop exited $?"; exec sleep 600`,
		columns: 80,
		rows: 24,
		cwd: root,
	});
	try {
		await pane.waitFor((text) => MAP_ROW.test(text), 'the map');
		pane.sendKeys('C-c');
		const after = await pane.waitFor((text) => EXITED.test(text), 'heaptop to exit');
		assert.equal(after.match(EXITED)?.[1], '0');
		assert.ok(!pane.alternateOn(), 'the alternate screen is left');
		assert.ok(pane.cursorVisible(), 'the cursor is visible again');
	} finally {
		pane.kill();
	}
});

test('after SIGTERM the terminal is clean and the exit code says so', { skip }, async () => {
	const directory = mkdtempSync(join(tmpdir(), 'heaptop-tmux-'));
	const pidFile = join(directory, 'pid');
	// `exec` makes the inner shell's pid the TUI's own, so the test signals exactly that process.
	const pane = startPane({
		command: `sh -c 'echo $$ > ${pidFile}; exec ${command}'; echo "heaptop exited $?"; exec sleep 600`,
		columns: 80,
		rows: 24,
		cwd: root,
	});
	try {
		await pane.waitFor((text) => MAP_ROW.test(text), 'the map');
		const pid = Number(readFileSync(pidFile, 'utf8').trim());
		assert.ok(Number.isInteger(pid) && pid > 0);
		process.kill(pid, 'SIGTERM');
		const after = await pane.waitFor((text) => EXITED.test(text), 'heaptop to exit');
		assert.equal(after.match(EXITED)?.[1], '143');
		assert.ok(!pane.alternateOn(), 'the alternate screen is left');
		assert.ok(pane.cursorVisible(), 'the cursor is visible again');
	} finally {
		pane.kill();
		rmSync(directory, { recursive: true, force: true });
	}
});

test('NO_COLOR draws no colour, and --ascii draws nothing but ASCII', { skip }, async () => {
	for (const [env, flag] of [
		['NO_COLOR=1 ', ''],
		['', ' --ascii'],
	] as const) {
		const pane = startPane({ command: `${env}${command}${flag}; exec sleep 600`, columns: 80, rows: 24, cwd: root });
		try {
			await pane.waitFor((text) => MAP_ROW.test(text) && text.includes('GC'), 'the map');
			pane.sendKeys('g');
			await pane.waitFor((text) => /freed|no block changed/.test(text), 'the diff after g');
			const escaped = pane.capture({ escapes: true });
			if (env) {
				// A colour set (30-38, 40-48, 90-97, 100-107) anywhere in a sequence; 39 and 49 only reset to the default.
				const colour = /<(\d+;)*(3[0-8]|4[0-8]|9[0-7]|10[0-7])(;\d+)*m/;
				assert.doesNotMatch(escaped.replaceAll('\u001b[', '<'), colour, 'no colour');
			} else {
				const text = pane.capture();
				assert.ok(
					[...text].every((character) => character.charCodeAt(0) < 0x80),
					`ASCII only:\n${text}`,
				);
			}
		} finally {
			pane.kill();
		}
	}
});

test(
	'heaptop replay of a real recording: [ ] Home End step, space plays to the end, the sparkline marks the cursor',
	{ skip: skipReplay() },
	async () => {
		const directory = mkdtempSync(join(tmpdir(), 'heaptop-tmux-replay-'));
		const recording = join(directory, 'leak.jsonl');
		// A real recording, made by the built command as a user makes one.
		const made = spawnSync(
			process.execPath,
			[cli, '--demo', 'slow-leak', '--json', '--interval', '300ms', '--count', '6', '--record', recording],
			{ encoding: 'utf8', env: { ...process.env, NO_COLOR: '' } },
		);
		assert.equal(made.status, 0, made.stderr);
		const { readings, skipped } = decodeRecording(readFileSync(recording, 'utf8'));
		assert.deepEqual(skipped, []);
		const count = readings.length;
		assert.ok(count >= 6, `${count} readings`);
		/** The `used` figure of reading `index` as the GC panel prints it, read from the recording itself. */
		const used = (index: number) => {
			const parsed = parseMemInfo(readings[index]?.text ?? '');
			assert.ok(parsed.ok);
			return `${formatCount(parsed.snapshot.gc.usedBytes)} B`;
		};
		const usedLine = (text: string) => text.split('\n').find((line) => /│ used [\d.]+ %/.test(line)) ?? '';
		const at = (index: number) => (text: string) =>
			text.includes(`reading ${index + 1} of ${count} `) && usedLine(text).includes(used(index));
		const pane = startPane({
			command: `node ${cli} replay ${recording}; echo "heaptop exited $?"; exec sleep 600`,
			columns: 80,
			rows: 24,
			cwd: root,
		});
		try {
			const first = await pane.waitFor(
				(text) => at(count - 1)(text) && MAP_ROW.test(text) && text.includes('q quit'),
				'the last reading, whole screen',
			);
			const lines = first.split('\n');
			assert.match(lines[0] ?? '', /heaptop +recording leak\.jsonl .*● replay · \d{4}-\d\d-\d\d/);
			assert.match(lines[1] ?? '', / · the end$/);
			assert.match(lines.at(-2) ?? first, /\[ \] step +space play +Home\/End first\/last/);
			for (const line of lines) assert.ok(line.length <= 80, `no line wider than the terminal: ${line}`);

			pane.sendKeys('[');
			await pane.waitFor(at(count - 2), 'one reading back');
			pane.sendKeys('Home');
			const home = await pane.waitFor(at(0), 'the first reading');
			const collected = readings[0]?.afterCollect ? 'after collect' : 'no collect before';
			assert.ok(home.includes(`(+0.0 s) · ${collected} · paused`), home);
			pane.sendKeys(']');
			await pane.waitFor(at(1), 'one reading forward');
			// The sparkline's cursor is the inverse cell on the `used after gc` line; it moves with the reading.
			const cursorColumn = () => {
				const line = pane
					.capture({ escapes: true })
					.split('\n')
					.find((text) => text.includes('used after gc'));
				const before = line?.split('\u001b[7m')[0];
				return before === undefined || before === line ? -1 : plain(before).length;
			};
			const early = cursorColumn();
			pane.sendKeys('End');
			await pane.waitFor(at(count - 1), 'the last reading');
			const late = cursorColumn();
			assert.ok(early >= 0 && late > early, `the cursor column moves right: ${early} then ${late}`);

			// At 1× the recorded pace, about 2 s: long enough to see it play.
			pane.sendKeys('-', '-', '-');
			await pane.waitFor((text) => text.includes('plays at 1× the recorded pace'), 'the speed down to 1×');
			pane.sendKeys('Space');
			await pane.waitFor((text) => text.includes(' · playing at 1×'), 'playing from the first');
			await pane.waitFor((text) => at(count - 1)(text) && text.includes(' · the end'), 'played to the end');

			pane.sendKeys('g');
			await pane.waitFor((text) => text.includes('g: a recording takes no new readings'), 'g says why not');
			pane.sendKeys('?');
			// The title says how to close it, and how to scroll when the keys do not fit in the pane.
			const help = await pane.waitFor((text) => text.includes('keys (Esc'), 'the help');
			assert.ok(help.includes('one reading back, one reading forward') && !help.includes('gc.collect()'), help);
			pane.sendKeys('q');
			const after = await pane.waitFor((text) => EXITED.test(text), 'heaptop to exit');
			assert.equal(after.match(EXITED)?.[1], '0');
			assert.ok(!pane.alternateOn(), 'the alternate screen is left');
		} finally {
			pane.kill();
			rmSync(directory, { recursive: true, force: true });
		}
	},
);
