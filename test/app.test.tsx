import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import { cleanup, render } from 'ink-testing-library';
import { diffSnapshots } from '../source/heap/diff.js';
import { parseAllMemInfo, parseMemInfo } from '../source/heap/parse.js';
import { formatCount, formatPercent } from '../source/present/format.js';
import { kindStyle } from '../source/present/kinds.js';
import { packCells } from '../source/present/map-layout.js';
import { sanitizeForTerminal } from '../source/protocol/sanitize.js';
import { createReplaySource } from '../source/sources/replay.js';
import { sanitizedSource } from '../source/sources/sanitized-source.js';
import type { ScenarioControls, ScenarioStep } from '../source/sources/source.js';
import { App, type AppProps } from '../source/ui/components/app.js';
import { diffWords } from '../source/ui/components/block-map.js';
import { composeOverlay, type Overlay } from '../source/ui/layout/overlay.js';
import { DEFAULT_PLAY_SPEED, playWaitMs } from '../source/ui/state/replay-pace.js';
import { formatClock, formatDate, formatElapsed } from '../source/ui/text/replay-caption.js';
import { createFixtureSource } from './helpers/fixture-source.js';
import { readMemInfoFixture } from './helpers/fixtures.js';
import { KEYS, plain, settle, until } from './helpers/ink.js';
import { EMULATOR_SESSION, QEMU_SESSION, writeRecording } from './helpers/recording.js';

const TWO_DUMPS = 'qemu-mps2an385-v1.29pre-two-dumps-before-after-gc.txt';
const [BEFORE, AFTER] = parseAllMemInfo(readMemInfoFixture(TWO_DUMPS));

afterEach(() => cleanup());

function renderApp(overrides: Partial<AppProps> & { fixture?: string; description?: string } = {}) {
	const source = createFixtureSource({
		fixture: overrides.fixture ?? TWO_DUMPS,
		description: overrides.description ?? 'test board',
	});
	const props: AppProps = {
		source,
		color: false,
		ascii: false,
		intervalMs: 0,
		size: { columns: 100, rows: 30 },
		...overrides,
	};
	const view = render(<App {...props} />);
	return { ...view, source, frame: () => plain(view.lastFrame()) };
}

/** The map rows on screen: label (hex offset) and the letters after it. */
function mapRows(frame: string): { offset: number; letters: string }[] {
	const rows: { offset: number; letters: string }[] = [];
	for (const match of frame.matchAll(/│ ([0-9a-f]{4,8}) ([^\s│]+)/g)) {
		rows.push({ offset: Number.parseInt(match[1] ?? '', 16), letters: match[2] ?? '' });
	}
	return rows;
}

/** Blocks a cell, as the map's title says. */
function zoomOf(frame: string): number {
	const match = /1 cell = ([\d,]+) block/.exec(frame);
	assert.ok(match, `no scale in the map's title:\n${frame}`);
	return Number((match[1] ?? '').replaceAll(',', ''));
}

/** Checks every map row on screen against the dump's cells packed at the scale the title gives. */
function assertRowsShow(frame: string, cells: string, bytesPerBlock: number): void {
	const zoom = zoomOf(frame);
	for (const row of mapRows(frame)) {
		const firstBlock = row.offset / bytesPerBlock;
		const expected = packCells(cells, firstBlock, row.letters.length, zoom);
		// The largest free run shows as `_` in place of its cells' letters; every other cell is the dump's.
		const shown = [...row.letters].map((letter, index) => (letter === '_' ? expected[index] : letter)).join('');
		assert.equal(shown, expected, `row ${row.offset.toString(16)}`);
	}
}

test('the map shows the dump’s letters at the offsets its labels give, packed at the scale its title gives', async () => {
	assert.ok(BEFORE?.bytesPerBlock);
	const app = renderApp();
	await settle();
	const rows = mapRows(app.frame());
	assert.ok(rows.length >= 10, `expected map rows on screen:\n${app.frame()}`);
	const cells = BEFORE.areas[0]?.cells.slice() ?? '';
	assertRowsShow(app.frame(), cells, BEFORE.bytesPerBlock);
	assert.equal(rows[0]?.offset, 0);
	// 1:1 is one key away, and shows the dump's own letters.
	app.stdin.write('0');
	await settle();
	assert.equal(zoomOf(app.frame()), 1);
	for (const row of mapRows(app.frame())) {
		const firstBlock: number = row.offset / (BEFORE?.bytesPerBlock ?? 1);
		assert.equal(row.letters, cells.slice(firstBlock, firstBlock + row.letters.length));
	}
});

test('the legend counts the objects of each kind as the parser did', async () => {
	const app = renderApp();
	await settle();
	const frame = app.frame();
	const kinds = BEFORE?.map?.kinds ?? {};
	const counted = Object.entries(kinds).filter(([letter]) => letter !== '.' && letter !== '=');
	assert.ok(counted.length >= 5);
	for (const [letter, kind] of counted) {
		assert.ok(
			frame.includes(`${letter} ${kindStyle(letter).name} ${formatCount(kind.objects)}`),
			`legend for ${letter}`,
		);
	}
});

test('g collects, and the diff counts the blocks the two dumps differ in', async () => {
	assert.ok(BEFORE && AFTER);
	const app = renderApp();
	await settle();
	app.stdin.write('g');
	await settle();
	assert.deepEqual(app.source.reads, [{ collect: false }, { collect: true }]);
	const before = BEFORE.areas[0]?.cells.slice() ?? '';
	const after = AFTER.areas[0]?.cells.slice() ?? '';
	let freed = 0;
	let allocated = 0;
	for (let index = 0; index < after.length; index++) {
		if (before[index] === after[index]) continue;
		if (after[index] === '.') freed++;
		else if (before[index] === '.') allocated++;
	}
	assert.ok(freed > 0);
	const frame = app.frame();
	assert.ok(frame.includes(`blocks: ${formatCount(freed)} freed`), frame);
	if (allocated > 0) assert.ok(frame.includes(`, ${formatCount(allocated)} new`), frame);
	assert.ok(!frame.includes(' 0 new') && !frame.includes('-0'), 'a zero count is left out');
	// The map now shows the second dump.
	assertRowsShow(frame, after, AFTER.bytesPerBlock ?? 1);
	// d turns the highlight off, and on again.
	app.stdin.write('d');
	await settle();
	assert.ok(!app.frame().includes('freed'));
	app.stdin.write('d');
	await settle();
	assert.ok(app.frame().includes('freed'));
});

test('no frame shows a new reading without its diff: the map is drawn once a reading, not twice', async () => {
	assert.ok(BEFORE && AFTER);
	const app = renderApp();
	await settle();
	const first = app.frames.length;
	app.stdin.write('g');
	await settle();
	const used = `${formatCount(AFTER.gc.usedBytes)} B`;
	const after = app.frames.slice(first).map((frame) => plain(frame));
	const withNewReading = after.filter((frame) => frame.includes(used));
	assert.ok(withNewReading.length > 0, 'the collect was drawn');
	for (const frame of withNewReading) assert.match(frame, /blocks: [\d,]+ freed/, frame);
});

test('the diff highlight marks freed blocks in inverse video', async () => {
	const app = renderApp();
	await settle();
	app.stdin.write('0g');
	await settle();
	// Inverse (SGR 7) stays without colour: it is how the diff shows under NO_COLOR.
	assert.ok((app.lastFrame() ?? '').includes('\u001b[7m.'));
});

test('the GC panel shows the firmware’s figures with their units', async () => {
	const app = renderApp();
	await settle();
	const frame = app.frame();
	assert.ok(BEFORE);
	assert.ok(frame.includes(`${formatCount(BEFORE.gc.totalBytes)} B`));
	assert.ok(frame.includes(`${formatCount(BEFORE.gc.usedBytes)} B`));
	assert.ok(frame.includes(`${formatCount(BEFORE.gc.freeBytes)} B`));
	assert.ok(frame.includes(`1-blocks ${formatCount(BEFORE.counts?.oneBlock ?? -1)}`));
	assert.ok(
		frame.includes(`${formatCount(BEFORE.stack?.usedBytes ?? -1)} / ${formatCount(BEFORE.stack?.limitBytes ?? -1)} B`),
	);
});

test('? opens the help with every key, and Esc closes it', async () => {
	const app = renderApp();
	await settle();
	app.stdin.write('?');
	await settle();
	const help = app.frame();
	for (const keys of ['g', 'r  space', 'PgUp PgDn', 'q  Ctrl-C']) assert.ok(help.includes(keys), `${keys} in\n${help}`);
	assert.equal(mapRows(help).length, 0);
	app.stdin.write(KEYS.escape);
	await until(() => mapRows(app.frame()).length > 0);
	assert.ok(mapRows(app.frame()).length > 0, `Esc closes:\n${app.frame()}`);
	app.stdin.write('?');
	await settle();
	app.stdin.write('?');
	await settle();
	assert.ok(mapRows(app.frame()).length > 0, `? closes:\n${app.frame()}`);
});

test('at start the map fits the whole heap; z and Z zoom one step, 0 is 1:1 and f fits again', async () => {
	const app = renderApp();
	await settle();
	const cells = BEFORE?.areas[0]?.cells.length ?? 0;
	const bytesPerBlock = BEFORE?.bytesPerBlock ?? 1;
	const fitted = zoomOf(app.frame());
	const lastRow = (frame: string) => mapRows(frame).at(-1);
	const reachesEnd = (frame: string) => {
		const last = lastRow(frame);
		return last !== undefined && last.offset / bytesPerBlock + last.letters.length * zoomOf(frame) >= cells;
	};
	assert.ok(reachesEnd(app.frame()), `the whole heap is on screen:\n${app.frame()}`);
	assert.equal(mapRows(app.frame())[0]?.offset, 0);
	app.stdin.write('0');
	await settle();
	assert.ok(app.frame().includes('1 cell = 1 block'));
	assert.ok(!reachesEnd(app.frame()), 'at 1:1 the heap is taller than the screen');
	app.stdin.write('Z');
	await settle();
	assert.ok(app.frame().includes('1 cell = 2 blocks'));
	const rows = mapRows(app.frame());
	// A packed row covers twice the blocks: offsets step by twice as much.
	const first = rows[0];
	const second = rows[1];
	assert.ok(first && second);
	assert.equal((second.offset - first.offset) / bytesPerBlock, first.letters.length * 2);
	app.stdin.write('z');
	await settle();
	assert.ok(app.frame().includes('1 cell = 1 block'));
	app.stdin.write('z');
	await settle();
	assert.ok(app.frame().includes('z: the map is at 1 block a cell already'));
	app.stdin.write('f');
	await settle();
	assert.equal(zoomOf(app.frame()), fitted);
	assert.ok(reachesEnd(app.frame()));
	app.stdin.write('Z');
	await settle();
	assert.ok(app.frame().includes('Z: the whole heap is on the screen already'));
});

test('scroll keys move the map and End shows its last row', async () => {
	const app = renderApp();
	await settle();
	app.stdin.write('0');
	await settle();
	const top = mapRows(app.frame())[0]?.offset;
	app.stdin.write(KEYS.down);
	await settle();
	const next = mapRows(app.frame())[0]?.offset;
	assert.ok(top !== undefined && next !== undefined && next > top);
	app.stdin.write(KEYS.end);
	await settle();
	const rows = mapRows(app.frame());
	const last = rows[rows.length - 1];
	const cells = BEFORE?.areas[0]?.cells.length ?? 0;
	assert.ok(last);
	assert.equal(last.offset / (BEFORE?.bytesPerBlock ?? 1) + last.letters.length, cells);
	assert.match(app.frame(), /↑\d+-(\d+)\/\1/);
	app.stdin.write(KEYS.home);
	await settle();
	assert.equal(mapRows(app.frame())[0]?.offset, 0);
});

test('a key that cannot act says why in the status line', async () => {
	const source = createFixtureSource({ fixture: TWO_DUMPS, canRead: false, readOnStart: false });
	const app = render(
		<App source={source} color={false} ascii={false} intervalMs={0} size={{ columns: 100, rows: 30 }} />,
	);
	await settle();
	app.stdin.write('g');
	await settle();
	assert.ok(plain(app.lastFrame()).includes('g: this source only listens'));
	app.stdin.write('n');
	await settle();
	assert.ok(plain(app.lastFrame()).includes('n: only the demo has steps'));
	assert.deepEqual(source.reads, []);
});

test('a disconnected board shows in the header, and g says so', async () => {
	const app = renderApp();
	await settle();
	app.source.emit({ type: 'status', status: 'disconnected', message: 'board unplugged' });
	await settle();
	app.stdin.write('g');
	await settle();
	const frame = app.frame();
	assert.ok(frame.includes('disconnected'));
	assert.ok(frame.includes('g: the board is disconnected'));
	assert.equal(app.source.reads.length, 1);
});

test('p pauses auto-refresh and the header says paused', async () => {
	const app = renderApp({ intervalMs: 1000 });
	await settle();
	app.stdin.write('p');
	await settle();
	assert.match(app.frame(), /● paused/);
	assert.ok(app.frame().includes('auto-refresh paused'));
	app.stdin.write('p');
	await settle();
	assert.match(app.frame(), /● live every 1 s/);
	app.stdin.write('+');
	await settle();
	assert.ok(app.frame().includes('auto-refresh every 2 s'));
});

test('q and Ctrl-C quit with exit code 0', async () => {
	for (const key of ['q', KEYS.ctrlC]) {
		const codes: number[] = [];
		const app = renderApp({ onExit: (code) => codes.push(code) });
		await settle();
		app.stdin.write(key);
		await settle();
		assert.deepEqual(codes, [0]);
		cleanup();
	}
});

test('below 60×16 the screen says the terminal is too small, and a resize brings the map back', async () => {
	const app = renderApp({ size: { columns: 50, rows: 12 } });
	await settle();
	assert.ok(app.frame().includes('terminal too small: need 60×16, have 50×12'));
	app.rerender(<App source={app.source} color={false} ascii={false} intervalMs={0} size={{ columns: 80, rows: 24 }} />);
	await settle();
	assert.ok(mapRows(app.frame()).length > 0);
});

test('at 80×24 no line is wider than the terminal and the frame is 24 lines', async () => {
	const app = renderApp({ size: { columns: 80, rows: 24 } });
	await settle();
	app.stdin.write('g');
	await settle();
	const lines = app.frame().split('\n');
	assert.equal(lines.length, 24);
	for (const line of lines) assert.ok(line.length <= 80, `too wide (${line.length}): ${line}`);
	for (const part of ['GC', 'stack', 'fragmentation', 'largest free', 'used after gc', 'T tuple']) {
		assert.ok(app.frame().includes(part), part);
	}
});

test('without colour there are no colour sequences, and --ascii draws no box or block characters', async () => {
	const app = renderApp({ color: false, ascii: true, description: 'board · MicroPython v1.22 … on rp2' });
	await settle();
	app.stdin.write('g');
	await settle();
	const raw = app.lastFrame() ?? '';
	for (const colour of ['\u001b[3', '\u001b[4', '\u001b[9', ';3', ';4', ';9']) assert.ok(!raw.includes(colour), colour);
	// biome-ignore lint/suspicious/noControlCharactersInRegex: the frame may hold SGR sequences, which are ASCII.
	assert.match(plain(raw), /^[\u0000-\u007f]*$/);
	assert.ok(mapRows(plain(raw).replaceAll('|', '│')).length > 0);
	cleanup();
	const colored = renderApp({ color: true });
	await settle();
	assert.ok((colored.lastFrame() ?? '').includes('\u001b[32m'));
});

test('s saves the raw dump and JSON and says where', async () => {
	const directory = mkdtempSync(join(tmpdir(), 'heaptop-save-'));
	try {
		const app = renderApp({ saveDirectory: directory });
		await settle();
		app.stdin.write('s');
		assert.ok(await until(() => app.frame().includes('saved ')));
		const match = app.frame().match(/saved (\S+\.txt)/);
		const textPath = match?.[1] ?? '';
		assert.ok(textPath.startsWith(directory) && existsSync(textPath));
		const reparsed = parseMemInfo(readFileSync(textPath, 'latin1'));
		assert.ok(reparsed.ok);
		assert.equal(reparsed.snapshot.areas[0]?.cells.slice(), BEFORE?.areas[0]?.cells.slice());
		const json = JSON.parse(readFileSync(textPath.replace(/\.txt$/, '.json'), 'utf8')) as {
			snapshot: { gc: { totalBytes: number; usedBytes: number }; dump: string };
		};
		assert.equal(json.snapshot.gc.usedBytes, BEFORE?.gc.usedBytes);
		assert.equal(json.snapshot.dump, BEFORE?.text);
	} finally {
		rmSync(directory, { recursive: true, force: true });
	}
});

test('in the demo, n runs the next step, a digit picks a scenario, and the caption follows', async () => {
	const calls: string[] = [];
	let step: ScenarioStep = { scenario: 'frag', title: 'fragmentation', step: 0, steps: 3, caption: '' };
	const scenario: ScenarioControls = {
		list: () => [
			{ name: 'frag', title: 'fragmentation' },
			{ name: 'early', title: 'big buffers early' },
		],
		current: () => step,
		async next() {
			calls.push('next');
			step = { ...step, step: step.step + 1, caption: 'many small strings, every other one dropped' };
		},
		async choose(index) {
			calls.push(`choose ${index}`);
			step = { scenario: 'early', title: 'big buffers early', step: 1, steps: 2, caption: 'a 16 KiB buffer first' };
		},
	};
	const source = createFixtureSource({ fixture: TWO_DUMPS, scenario });
	const app = render(
		<App source={source} color={false} ascii={false} intervalMs={0} size={{ columns: 100, rows: 30 }} />,
	);
	await settle();
	assert.ok(plain(app.lastFrame()).includes('fragmentation: press n'));
	app.stdin.write('n');
	await settle();
	assert.ok(plain(app.lastFrame()).includes('fragmentation 1/3: many small strings, every other one dropped'));
	app.stdin.write('2');
	await settle();
	assert.ok(plain(app.lastFrame()).includes('big buffers early 1/2: a 16 KiB buffer first'));
	app.stdin.write('5');
	await settle();
	assert.ok(plain(app.lastFrame()).includes('5: there are only 2 scenarios'));
	assert.deepEqual(calls, ['next', 'choose 1']);
});

test('unmounting unsubscribes and closes the source', async () => {
	const app = renderApp();
	await settle();
	app.unmount();
	await settle();
	assert.equal(app.source.closed, 1);
});

test('board output goes to the log pane that o toggles', async () => {
	const app = renderApp();
	await settle();
	app.source.emit({ type: 'output', text: 'hello from main.py\r\nsecond line\r\n', stream: 'stdout' });
	app.stdin.write('o');
	await settle();
	const frame = app.frame();
	assert.ok(frame.includes('board output'));
	assert.ok(frame.includes('hello from main.py'));
	assert.ok(frame.includes('second line'));
	app.stdin.write('o');
	await settle();
	assert.ok(!app.frame().includes('hello from main.py'));
});

test('g pressed while a reading is under way collects right after it, instead of being refused', async () => {
	const source = createFixtureSource({ fixture: TWO_DUMPS });
	const plainRead = source.read.bind(source);
	let release: () => void = () => {};
	const gate = new Promise<void>((resolve) => {
		release = resolve;
	});
	let held = 0;
	source.read = async (options) => {
		// The first reading after start is held until the test lets it go.
		if (source.reads.length === 1 && held++ === 0) await gate;
		return plainRead(options);
	};
	const app = render(
		<App source={source} color={false} ascii={false} intervalMs={0} size={{ columns: 100, rows: 30 }} />,
	);
	await settle();
	app.stdin.write('r');
	await settle();
	app.stdin.write('g');
	await settle();
	assert.ok(!plain(app.lastFrame()).includes('already in progress'));
	release();
	assert.ok(await until(() => source.reads.length === 3));
	assert.deepEqual(source.reads, [{ collect: false }, { collect: false }, { collect: true }]);
});

test('keys that arrive together in one chunk each act', async () => {
	const app = renderApp();
	await settle();
	app.stdin.write('0ZZ');
	await settle();
	assert.ok(app.frame().includes('1 cell = 4 blocks'), app.frame());
});

test('with a map overlay, the rows go to the frame writer at the box’s inside and Ink leaves the box blank', async () => {
	const overlays: (Overlay | undefined)[] = [];
	const app = renderApp({ mapOverlay: (overlay) => overlays.push(overlay) });
	await settle();
	const overlay = overlays[overlays.length - 1];
	assert.ok(overlay);
	assert.equal(mapRows(app.frame()).length, 0);
	// The overlay sits inside the map box: after the header, the top border, and the left border.
	assert.equal(overlay.row, 2);
	assert.equal(overlay.column, 2);
	const composed = composeOverlay(plain(app.lastFrame()).split('\n'), overlay).join('\n');
	const rows = mapRows(plain(composed));
	assert.ok(rows.length >= 10);
	assertRowsShow(plain(composed), BEFORE?.areas[0]?.cells.slice() ?? '', BEFORE?.bytesPerBlock ?? 1);
	app.stdin.write('?');
	await settle();
	assert.equal(overlays[overlays.length - 1], undefined);
});

test('the overlay lands on the map box’s inside at every size, read from the layout', async () => {
	// ink-testing-library's terminal is 100 columns wide; the tmux tests cover wider ones.
	for (const [columns, rows] of [
		[60, 16],
		[80, 24],
		[77, 31],
		[100, 45],
	] as const) {
		const overlays: (Overlay | undefined)[] = [];
		const app = renderApp({ mapOverlay: (overlay) => overlays.push(overlay), size: { columns, rows } });
		await settle();
		const overlay = overlays[overlays.length - 1];
		assert.ok(overlay, `${columns}x${rows}`);
		const lines = plain(app.lastFrame()).split('\n');
		const at = `${columns}x${rows}`;
		assert.equal(lines[overlay.row - 1]?.[0], '┌', `${at}: the box's top border is just above`);
		assert.equal(lines[overlay.row]?.[overlay.column - 2], '│', `${at}: its left border two columns left`);
		assert.equal(lines[overlay.row]?.[overlay.column + overlay.width + 1], '│', `${at}: its right border after`);
		const bottom = lines.findIndex((line, index) => index > overlay.row && line.startsWith('└'));
		assert.ok(overlay.lines.length <= bottom - overlay.row, `${at}: the rows end above the bottom border`);
		app.unmount();
	}
});

test('a source that sends a reading without saying it is live counts as live', async () => {
	const source = createFixtureSource({ fixture: TWO_DUMPS, readOnStart: false });
	source.start = async () => {
		source.started++;
		return { ok: true };
	};
	const app = render(
		<App source={source} color={false} ascii={false} intervalMs={0} size={{ columns: 100, rows: 30 }} />,
	);
	await settle();
	assert.match(plain(app.lastFrame()), /● connecting/);
	await source.read({ collect: false });
	await settle();
	assert.match(plain(app.lastFrame()), /● auto off/);
	app.stdin.write('g');
	await settle();
	assert.deepEqual(source.reads.at(-1), { collect: true });
});

test('auto-refresh reads at the interval, stops while paused, and goes faster with -', async (t) => {
	t.mock.timers.enable({ apis: ['setTimeout', 'setInterval'] });
	const app = renderApp({ intervalMs: 1000 });
	await settle();
	const readsAfterStart = app.source.reads.length;
	t.mock.timers.tick(1000);
	await settle();
	assert.equal(app.source.reads.length, readsAfterStart + 1);
	assert.deepEqual(app.source.reads.at(-1), { collect: false });
	app.stdin.write('p');
	await settle();
	t.mock.timers.tick(5000);
	await settle();
	assert.equal(app.source.reads.length, readsAfterStart + 1);
	app.stdin.write('p');
	app.stdin.write('-');
	await settle();
	t.mock.timers.tick(500);
	await settle();
	assert.equal(app.source.reads.length, readsAfterStart + 2);
});

test('the header says how long ago the last reading was taken', async () => {
	let nowMs = 50_000;
	const source = createFixtureSource({ fixture: TWO_DUMPS, now: () => nowMs, description: 'test board' });
	const app = render(
		<App
			source={source}
			color={false}
			ascii={false}
			intervalMs={0}
			size={{ columns: 100, rows: 30 }}
			now={() => nowMs}
		/>,
	);
	await settle();
	assert.match(plain(app.lastFrame()), /● auto off · 0\.0 s ago/);
	nowMs += 12_400;
	app.rerender(
		<App
			source={source}
			color={false}
			ascii={false}
			intervalMs={0}
			size={{ columns: 80, rows: 24 }}
			now={() => nowMs}
		/>,
	);
	await settle();
	assert.match(plain(app.lastFrame()), /● auto off · 12 s ago/);
});

test('a busy board: g says i interrupts, i asks, i again interrupts it, and the first reading comes once it is live', async () => {
	const source = createFixtureSource({ fixture: TWO_DUMPS, status: 'busy', readOnStart: false });
	let interrupts = 0;
	source.interrupt = async () => {
		interrupts++;
		source.emit({ type: 'status', status: 'live' });
	};
	const app = render(
		<App source={source} color={false} ascii={false} intervalMs={0} size={{ columns: 100, rows: 30 }} />,
	);
	await settle();
	app.stdin.write('g');
	await settle();
	assert.ok(plain(app.lastFrame()).includes('g: the board is running a program: i interrupts it'));
	assert.deepEqual(source.reads, []);
	app.stdin.write('i');
	await settle();
	assert.ok(plain(app.lastFrame()).includes('i again: send Ctrl-C to the program running on the board'));
	assert.equal(interrupts, 0, 'one i asks, it does not interrupt');
	app.stdin.write('i');
	assert.ok(await until(() => source.reads.length === 1), 'one reading once live, with no key pressed');
	assert.equal(interrupts, 1);
	assert.deepEqual(source.reads, [{ collect: false }]);
	app.stdin.write('i');
	await settle();
	assert.ok(plain(app.lastFrame()).includes('i: the board is not running a program'));
	assert.equal(interrupts, 1);
});

test('a first reading lost with the link is asked again when the board is back, with no key pressed', async () => {
	const source = createFixtureSource({ fixture: TWO_DUMPS, readOnStart: false });
	const read = source.read;
	let lose = true;
	source.read = async (options) => {
		if (!lose) return read(options);
		// The server closes the connection in the middle of the first dump.
		lose = false;
		source.reads.push(options);
		source.emit({ type: 'status', status: 'disconnected', message: 'the connection was closed' });
		return { ok: false, problem: { kind: 'disconnected', message: 'the connection was closed' } };
	};
	const app = render(
		<App source={source} color={false} ascii={false} intervalMs={0} size={{ columns: 100, rows: 30 }} />,
	);
	assert.ok(await until(() => source.reads.length === 1), 'the first reading, at once');
	await settle();
	assert.ok(plain(app.lastFrame()).includes('waiting for the first reading'));
	source.emit({ type: 'status', status: 'live' });
	assert.ok(await until(() => source.reads.length === 2), 'asked again once live');
	assert.ok(await until(() => !plain(app.lastFrame()).includes('waiting for the first reading')));
});

test('b shows the probed largest block on a board, and says where to look elsewhere', async () => {
	const board = createFixtureSource({ fixture: TWO_DUMPS });
	board.probeLargestBlock = async () => 4096 + Math.floor(Math.random() * 1000);
	let probed: number | undefined;
	const probe = board.probeLargestBlock;
	board.probeLargestBlock = async () => {
		probed = await probe();
		return probed;
	};
	const app = render(
		<App source={board} color={false} ascii={false} intervalMs={0} size={{ columns: 120, rows: 30 }} />,
	);
	await settle();
	app.stdin.write('b');
	assert.ok(
		await until(() => probed !== undefined && plain(app.lastFrame()).includes(`${formatCount(probed)} B (by probe`)),
	);
	cleanup();
	const demo = renderApp();
	await settle();
	demo.stdin.write('b');
	await settle();
	assert.ok(demo.frame().includes('b: the probe runs on a board'));
});

test('a start notice (why the demo runs instead of a board) shows in the status line', async () => {
	const reason = `no MicroPython board found (${Math.random().toString(36).slice(2)})`;
	const app = renderApp({ notice: reason });
	await settle();
	assert.ok(app.frame().includes(reason));
});

/** A replay of a recording of real qemu dumps, written as `--record` writes it, in the TUI. */
async function renderReplay(session = QEMU_SESSION, overrides: Partial<AppProps> = {}) {
	const directory = mkdtempSync(join(tmpdir(), 'heaptop-replay-app-'));
	const path = join(directory, 'session.jsonl');
	const written = writeRecording(path, session);
	const source = createReplaySource(path);
	const view = render(
		<App source={source} color={false} ascii={false} intervalMs={0} size={{ columns: 100, rows: 30 }} {...overrides} />,
	);
	const frame = () => plain(view.lastFrame());
	const loaded = await until(() => frame().includes(`reading ${written.length} of ${written.length}`));
	rmSync(directory, { recursive: true, force: true });
	assert.ok(loaded, `the replay loads:\n${frame()}`);
	// Read again from the open file, which is gone from the directory by now.
	const readings = source.replay.points().flatMap((_, index) => source.replay.reading(index) ?? []);
	assert.equal(readings.length, written.length);
	/** Which reading the GC panel shows, by its `used` figure (they all differ). */
	const shown = () =>
		readings.findIndex(
			(reading) =>
				frame().includes(`used ${formatPercent(reading.snapshot.gc.usedBytes / reading.snapshot.gc.totalBytes)}`) &&
				frame().includes(`${formatCount(reading.snapshot.gc.usedBytes)} B`),
		);
	return { ...view, source, readings, frame, shown };
}

/** The line of the caption: where the replay stands. */
const captionOf = (frame: string) => frame.split('\n').find((line) => line.startsWith(' reading ')) ?? '';

test('a replay opens at the last reading, says where it stands, and offers its own keys', async () => {
	const app = await renderReplay();
	const count = app.readings.length;
	assert.equal(new Set(app.readings.map((reading) => reading.snapshot.gc.usedBytes)).size, count);
	assert.equal(app.shown(), count - 1);
	const last = app.readings[count - 1];
	assert.ok(last);
	assert.equal(
		captionOf(app.frame()),
		` reading ${count} of ${count} · ${formatClock(last.atMs)} (${formatElapsed(last.atMs - (app.readings[0]?.atMs ?? 0))}) · after collect · the end`,
	);
	const lines = app.frame().split('\n');
	assert.match(lines[0] ?? '', new RegExp(`● replay · ${formatDate(last.atMs)} .*\\[ \\] step  \\? help`));
	const footer = lines.at(-1) ?? '';
	for (const hint of ['[ ] step', 'space play', 'Home/End first/last', '+/- 10×', 'd diff', '? help', 'q quit'])
		assert.ok(footer.includes(hint), `${hint} in ${footer}`);
	assert.ok(!footer.includes('g collect') && !footer.includes('r read'), footer);
});

test('[ and ] step one reading, Home and End go to the first and last, and keys in one chunk each act', async () => {
	const app = await renderReplay();
	const last = app.readings.length - 1;
	app.stdin.write('[');
	await settle();
	assert.equal(app.shown(), last - 1);
	assert.match(captionOf(app.frame()), new RegExp(`^ reading ${last} of ${last + 1} · .* · paused$`));
	app.stdin.write(KEYS.home);
	await settle();
	assert.equal(app.shown(), 0);
	app.stdin.write('[');
	await settle();
	assert.ok(app.frame().includes('[: this is the first reading'));
	app.stdin.write(']]');
	await settle();
	assert.equal(app.shown(), 2);
	app.stdin.write(KEYS.end);
	await settle();
	assert.equal(app.shown(), last);
	// The map keeps PgDn and the arrows: they scroll, the reading stays.
	app.stdin.write('0');
	await settle();
	app.stdin.write(KEYS.pageDown);
	await settle();
	assert.equal(app.shown(), last);
	assert.ok((mapRows(app.frame())[0]?.offset ?? 0) > 0, 'the map scrolled');
});

test('space plays at the recorded pace sped up, stops at the last reading, and plays again from the first', async (t) => {
	const app = await renderReplay();
	t.mock.timers.enable({ apis: ['setTimeout', 'setInterval'] });
	const count = app.readings.length;
	app.stdin.write(KEYS.home);
	app.stdin.write(' ');
	await settle();
	assert.match(captionOf(app.frame()), / · playing at 10×$/);
	const wait = (index: number) =>
		playWaitMs(app.readings[index]?.atMs ?? 0, app.readings[index + 1]?.atMs ?? 0, DEFAULT_PLAY_SPEED);
	t.mock.timers.tick(wait(0) - 1);
	await settle();
	assert.equal(app.shown(), 0, 'not before the wait is over');
	t.mock.timers.tick(1);
	await settle();
	assert.equal(app.shown(), 1);
	for (let index = 1; index < count - 1; index++) {
		t.mock.timers.tick(wait(index));
		await settle();
		assert.equal(app.shown(), index + 1);
	}
	assert.match(captionOf(app.frame()), / · the end$/);
	t.mock.timers.tick(60_000);
	await settle();
	assert.equal(app.shown(), count - 1, 'it stays at the end');
	app.stdin.write(' ');
	await settle();
	assert.equal(app.shown(), 0, 'space at the end plays from the first');
	app.stdin.write(' ');
	await settle();
	assert.match(captionOf(app.frame()), / · paused$/);
	t.mock.timers.tick(60_000);
	await settle();
	assert.equal(app.shown(), 0, 'paused means paused');
});

test('+ and - change the play speed, and the wait follows', async (t) => {
	const app = await renderReplay();
	t.mock.timers.enable({ apis: ['setTimeout', 'setInterval'] });
	app.stdin.write('-');
	await settle();
	assert.ok(app.frame().includes('plays at 5× the recorded pace'));
	app.stdin.write(KEYS.home);
	app.stdin.write(' ');
	await settle();
	const gap = (app.readings[1]?.atMs ?? 0) - (app.readings[0]?.atMs ?? 0);
	t.mock.timers.tick(playWaitMs(0, gap, 10));
	await settle();
	assert.equal(app.shown(), 0, 'slower than 10×');
	t.mock.timers.tick(playWaitMs(0, gap, 5) - playWaitMs(0, gap, 10));
	await settle();
	assert.equal(app.shown(), 1);
});

test('in a replay d compares the reading shown with the one before it in the recording', async () => {
	const app = await renderReplay(EMULATOR_SESSION);
	const counts = (index: number) => {
		const before = app.readings[index - 1]?.snapshot;
		const after = app.readings[index]?.snapshot;
		assert.ok(before && after);
		const diff = diffSnapshots(before, after);
		return diffWords(diff);
	};
	app.stdin.write(KEYS.home);
	await settle();
	app.stdin.write('d');
	await settle();
	assert.ok(app.frame().includes('d: this is the first reading'));
	// One chunk, as a fast typist or tmux sends it: d compares with the reading ] went to.
	app.stdin.write(']d');
	await settle();
	assert.ok(app.frame().includes(counts(1)), `${counts(1)} in\n${app.frame()}`);
	// The highlight stays on and follows the cursor: each step compares with its own predecessor.
	app.stdin.write(']');
	await settle();
	assert.notEqual(counts(2), counts(1));
	assert.ok(app.frame().includes(counts(2)), `${counts(2)} in\n${app.frame()}`);
	app.stdin.write('[');
	await settle();
	assert.ok(app.frame().includes(counts(1)));
});

test('the sparklines of a replay cover the recording, and the cursor column moves with the reading', async () => {
	const app = await renderReplay();
	const cursorColumn = () => {
		const line = (app.lastFrame() ?? '').split('\n').find((text) => plain(text).includes('used after gc')) ?? '';
		return line.includes('\u001b[7m') ? plain(line.slice(0, line.indexOf('\u001b[7m'))).length : -1;
	};
	const collects = app.readings.filter((reading) => reading.afterCollect).length;
	const spark = plain(
		app
			.frame()
			.split('\n')
			.find((text) => text.includes('used after gc')) ?? '',
	);
	assert.equal(spark.slice(15).split(' ')[0]?.length, collects, `one column per collect: ${spark}`);
	const atEnd = cursorColumn();
	app.stdin.write(KEYS.home);
	await settle();
	const atStart = cursorColumn();
	assert.ok(atStart > 0 && atEnd - atStart === collects - 1, `${atStart} then ${atEnd}`);
});

test('in a replay, keys for a live board say why they do nothing, and the help lists the replay keys', async () => {
	const app = await renderReplay();
	for (const [key, says] of [
		['g', 'g: a recording takes no new readings: [ and ] step'],
		['r', 'r: a recording takes no new readings'],
		['p', 'p: a recording has no auto-refresh; space plays'],
		['i', 'i: only a board runs a program to interrupt'],
		['b', 'b: the probe runs on a board'],
		['o', 'o: a recording keeps'],
		['n', 'n: only the demo has steps'],
	] as const) {
		app.stdin.write(key);
		await settle();
		assert.ok(app.frame().includes(says), `${key}: ${app.frame().split('\n').at(-1)}`);
	}
	app.stdin.write('?');
	await settle();
	const help = app.frame();
	for (const keys of ['[  ]', 'Home  End', 'space', 'play speed', 'Up Down j k PgUp PgDn '])
		assert.ok(help.includes(keys), keys);
	for (const keys of ['gc.collect()', 'r  space', 'auto-refresh', 'interrupt']) assert.ok(!help.includes(keys), keys);
});

test('a live source keeps Home, End and space, and says that only a replay steps', async () => {
	const app = renderApp();
	await settle();
	app.stdin.write(']');
	await settle();
	assert.ok(app.frame().includes(']: only a replay steps through readings'));
	const reads = app.source.reads.length;
	app.stdin.write(' ');
	await settle();
	assert.equal(app.source.reads.length, reads + 1, 'space reads');
	app.stdin.write('?');
	await settle();
	assert.ok(!app.frame().includes('[  ]') && app.frame().includes('gc.collect()'));
});

test('a recording that cannot be read shows the error, and no live hint about g', async () => {
	const path = join(tmpdir(), `heaptop-missing-${process.pid}-${Math.random().toString(36).slice(2)}.jsonl`);
	const app = render(
		<App
			source={createReplaySource(path)}
			color={false}
			ascii={false}
			intervalMs={0}
			size={{ columns: 100, rows: 30 }}
		/>,
	);
	assert.ok(await until(() => plain(app.lastFrame()).includes(`cannot read ${path}: no such file`)));
	const frame = plain(app.lastFrame());
	assert.match(frame, /● error/);
	assert.ok(!frame.includes('press g') && frame.includes('history: no reading taken after a collect'), frame);
});

test('h and F1 open the help as ? does, F10 quits, and Ctrl-L asks the writer for a whole repaint', async () => {
	for (const key of ['h', '\u001bOP', '\u001b[11~']) {
		const app = renderApp();
		await settle();
		app.stdin.write(key);
		await settle();
		assert.ok(app.frame().includes('keys (Esc'), `${JSON.stringify(key)} opens the help:\n${app.frame()}`);
		app.stdin.write(key);
		await settle();
		assert.ok(mapRows(app.frame()).length > 0, `${JSON.stringify(key)} closes it`);
		app.unmount();
	}
	let repaints = 0;
	let code: number | undefined;
	const app = renderApp({
		onRepaint: () => repaints++,
		onExit: (exit) => {
			code = exit;
		},
	});
	await settle();
	app.stdin.write('\u000c');
	await settle();
	assert.equal(repaints, 1);
	app.stdin.write('\u001b[21~');
	await settle();
	assert.equal(code, 0);
});

test('a help longer than the screen says so, and j, k and PgDn scroll it to its last line', async () => {
	const app = renderApp({ size: { columns: 60, rows: 16 } });
	await settle();
	app.stdin.write('?');
	await settle();
	assert.match(app.frame(), /j\/k/);
	assert.ok(!app.frame().includes('Ctrl-C  F10'), 'the last line is below');
	for (let index = 0; index < 40; index++) app.stdin.write('j');
	await settle();
	assert.ok(app.frame().includes('Ctrl-C  F10'), app.frame());
	app.stdin.write('k');
	await settle();
	assert.ok(!app.frame().includes('Ctrl-C  F10'));
	app.stdin.write(KEYS.pageDown);
	await settle();
	assert.ok(app.frame().includes('Ctrl-C  F10'));
});

test('the header says only what is true: auto off on a board, live with its interval, not answering when a reading hangs', async () => {
	let nowMs = 1_000_000;
	const source = createFixtureSource({ fixture: TWO_DUMPS });
	const app = renderApp({ intervalMs: 0, now: () => nowMs });
	await settle();
	assert.match(app.frame(), /● auto off/);
	assert.ok(!/● live/.test(app.frame()), 'never live on a board whose auto-refresh is off');
	app.stdin.write('+');
	await settle();
	assert.match(app.frame(), /● live every 0\.5 s/);
	app.unmount();
	// A reading that never answers.
	let release: () => void = () => undefined;
	const hung = createFixtureSource({ fixture: TWO_DUMPS });
	const read = hung.read.bind(hung);
	let first = true;
	hung.read = (options) => {
		if (first) {
			first = false;
			return read(options);
		}
		return new Promise((resolve) => {
			release = () => resolve({ ok: false, problem: { kind: 'not-answering', message: 'no answer' } });
		});
	};
	const stuck = render(
		<App
			source={hung}
			color={false}
			ascii={false}
			intervalMs={0}
			size={{ columns: 100, rows: 30 }}
			now={() => nowMs}
		/>,
	);
	await settle();
	stuck.stdin.write('r');
	await settle();
	assert.ok(!plain(stuck.lastFrame()).includes('not answering'));
	nowMs += 6000;
	stuck.stdin.write('l');
	await settle();
	assert.match(plain(stuck.lastFrame()), /● not answering/);
	release();
	await settle();
	assert.ok(!plain(stuck.lastFrame()).includes('not answering'));
	void source;
});

test('a reading in progress says how far it has come, and the map fills row by row from the rows read so far', async () => {
	assert.ok(BEFORE && AFTER);
	const source = createFixtureSource({ fixture: TWO_DUMPS });
	const read = source.read.bind(source);
	let finish: () => void = () => undefined;
	let calls = 0;
	source.read = (options) => {
		calls++;
		if (calls === 1) return read(options);
		return new Promise((resolve) => {
			finish = () => void read(options).then(resolve);
		});
	};
	const app = render(
		<App source={source} color={false} ascii={false} intervalMs={0} size={{ columns: 100, rows: 30 }} />,
	);
	await settle();
	app.stdin.write('r');
	await settle();
	// Half of the next dump's rows: a snapshot of the first rows, as the streaming parser gives it.
	const cells = AFTER.areas[0]?.cells.slice() ?? '';
	const partialText = readMemInfoFixture(TWO_DUMPS)
		.split('\n')
		.filter((line) => !/^[0-9a-f]{8}: /.test(line) || Number.parseInt(line.slice(0, 8), 16) < 0x1000)
		.join('\n');
	const partial = parseAllMemInfo(partialText)[1];
	assert.ok(partial && (partial.areas[0]?.cells.length ?? 0) < cells.length);
	source.emit({ type: 'progress', receivedBytes: 4100, expectedBytes: 9000, partial });
	await settle();
	const frame = plain(app.lastFrame());
	assert.ok(frame.includes('reading… 4,100 B of ~9,000 B'), frame);
	// Laid out as the last whole reading (the scale stays), filled with the rows read so far and no more.
	const zoom = zoomOf(frame);
	const shownBlocks = mapRows(frame).reduce((sum, row) => sum + row.letters.length, 0);
	const partialBlocks = partial.areas[0]?.cells.length ?? 0;
	assert.equal(shownBlocks, Math.ceil(partialBlocks / zoom), frame);
	// More bytes without new rows (a source sends rows now and then): the rows read so far stay.
	source.emit({ type: 'progress', receivedBytes: 4300, expectedBytes: 9000 });
	await settle();
	const later = plain(app.lastFrame());
	assert.ok(later.includes('reading… 4,300 B of ~9,000 B'), later);
	assert.equal(
		mapRows(later).reduce((sum, row) => sum + row.letters.length, 0),
		shownBlocks,
		later,
	);
	finish();
	await settle();
	assert.ok(!plain(app.lastFrame()).includes('reading…'), 'gone with the whole reading');
	assert.ok(mapRows(plain(app.lastFrame())).reduce((sum, row) => sum + row.letters.length, 0) > shownBlocks);
});

test('a hostile board’s strings reach the screen marked: its name, its status and problem lines, its output, its warnings', async () => {
	// What a hostile firmware may send, fresh: an OSC 8 hyperlink, a DCS string, an 8-bit CSI, isolates,
	// zero-width and byte-order marks, a lone surrogate, a C1 NEL.
	const hostile =
		'\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\ \x1bP1$r0m\x1b\\ \x9b2J \u2066iso\u2069 \u200bzw\ufeff \ud800 \x85';
	const raw = createFixtureSource({ fixture: TWO_DUMPS, description: `board ${hostile}` });
	const { lastFrame } = render(
		<App source={sanitizedSource(raw)} color={false} ascii={false} intervalMs={0} size={{ columns: 120, rows: 30 }} />,
	);
	await until(() => /total/.test(lastFrame() ?? ''));
	raw.emit({ type: 'status', status: 'busy', message: `busy ${hostile}` });
	raw.emit({ type: 'problem', message: `problem ${hostile}` });
	raw.emit({ type: 'output', text: `printed ${hostile}\n`, stream: 'stdout' });
	const [damaged] = parseAllMemInfo(readMemInfoFixture(TWO_DUMPS).replace('hhhh', `h${hostile}h`));
	assert.ok(damaged);
	raw.emit({ type: 'reading', reading: { snapshot: damaged, atMs: 0, afterCollect: false } });
	await settle();
	const frame = lastFrame() ?? '';
	assert.match(frame, /board /);
	// Ink's own bold passes; anything else the rule would mark is a board's.
	assert.equal(sanitizeForTerminal(frame), frame, JSON.stringify(frame));
});
