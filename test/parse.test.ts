import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { HeapSnapshot } from '../source/heap/model.js';
import { createMemInfoParser, parseAllMemInfo, parseMemInfo } from '../source/heap/parse.js';
import { memInfoFixtures, readMemInfoFixture } from './helpers/fixtures.js';

/** Dumps known to be cut off at the source; every other fixture is a whole dump. */
const truncated = new Set(['doc-nrf52-monocle-truncated.txt', 'doc-pyboard-v1.8.0-issue2057-excerpt.txt']);

function only(text: string): HeapSnapshot {
	const result = parseMemInfo(text);
	assert.ok(result.ok, result.ok ? '' : result.error.message);
	return result.snapshot;
}

function feedInPieces(text: string, sizes: (index: number) => number): HeapSnapshot[] {
	const parser = createMemInfoParser();
	const out: HeapSnapshot[] = [];
	for (let at = 0, index = 0; at < text.length; index++) {
		const size = Math.max(1, sizes(index));
		out.push(...parser.push(text.slice(at, at + size)));
		at += size;
	}
	out.push(...parser.end());
	return out;
}

describe('every real capture', () => {
	for (const { name, text } of memInfoFixtures()) {
		test(`${name}: the map rebuilds the summary exactly, or the damage is named`, () => {
			const snapshots = parseAllMemInfo(text);
			assert.ok(snapshots.length >= 1, 'at least one dump');
			for (const snapshot of snapshots) {
				assert.equal(snapshot.gc.usedBytes + snapshot.gc.freeBytes, snapshot.gc.totalBytes);
				if (!snapshot.map) {
					assert.equal(snapshot.areas.length, 0, 'summary-only dumps have no areas');
					assert.deepEqual(snapshot.warnings, []);
					continue;
				}
				const bytesPerBlock = snapshot.bytesPerBlock;
				assert.ok(bytesPerBlock === 16 || bytesPerBlock === 32, `block size ${bytesPerBlock}`);
				if (truncated.has(name)) {
					assert.match(snapshot.warnings.join('\n'), /cut off or damaged/);
					continue;
				}
				assert.deepEqual(snapshot.warnings, []);
				const { map, counts, gc } = snapshot;
				assert.equal(map.blocks * bytesPerBlock, gc.totalBytes);
				assert.equal(map.usedBlocks * bytesPerBlock, gc.usedBytes);
				assert.equal(map.freeBlocks * bytesPerBlock, gc.freeBytes);
				assert.equal(map.oneBlock, counts?.oneBlock);
				assert.equal(map.twoBlock, counts?.twoBlock);
				assert.equal(map.maxBlockBlocks, counts?.maxBlockBlocks);
				if (counts?.maxFreeBlocks !== undefined) assert.equal(map.maxFreeBlocks, counts.maxFreeBlocks);
			}
		});

		test(`${name}: one chunk, one byte at a time and random chunks give the same snapshots`, () => {
			const whole = parseAllMemInfo(text);
			assert.deepEqual(
				feedInPieces(text, () => 1),
				whole,
			);
			let seed = 7;
			const random = () => {
				seed = (seed * 1103515245 + 12345) % 2147483648;
				return seed % 97;
			};
			assert.deepEqual(feedInPieces(text, random), whole);
		});
	}
});

describe('a dump read as it streams in', () => {
	for (const { name, text } of memInfoFixtures()) {
		test(`${name}: the partial snapshot holds the first rows, grows line by line, and changes nothing`, () => {
			const parser = createMemInfoParser();
			const done: HeapSnapshot[] = [];
			let blocksBefore = 0;
			let partials = 0;
			for (const line of text.split(/(?<=\n)/)) {
				const finished = parser.push(line);
				// A file may hold several dumps: the next one's rows start from none again.
				if (finished.length > 0) blocksBefore = 0;
				done.push(...finished);
				const partial = parser.partial();
				if (!partial?.map) continue;
				partials++;
				const blocks = partial.areas.reduce((sum, area) => sum + area.cells.length, 0);
				assert.ok(blocks >= blocksBefore, 'the rows read so far only grow');
				blocksBefore = blocks;
			}
			done.push(...parser.end());
			assert.deepEqual(done, parseAllMemInfo(text), 'asking for partials does not change what is parsed');
			const last = done.at(-1);
			if (last?.map && last.areas.length > 0) assert.ok(partials > 0, 'a dump with a map had partial maps');
		});
	}

	test('each partial map is the beginning of the whole, elisions included', () => {
		const { text } = memInfoFixtures().find((fixture) => fixture.text.includes('lines all free')) ?? { text: '' };
		assert.ok(text, 'a fixture with an elision line');
		const whole = only(text);
		const parser = createMemInfoParser();
		for (const line of text.split(/(?<=\n)/)) {
			parser.push(line);
			const partial = parser.partial();
			partial?.areas.forEach((area, index) => {
				const full = whole.areas[index]?.cells;
				assert.ok(full, 'the area is in the whole dump');
				assert.equal(area.cells.slice(), full.slice(0, area.cells.length));
			});
		}
	});
});

describe('formats', () => {
	test('8-digit offsets, 16-byte blocks and the mem line of v1.29', () => {
		const snapshot = only(readMemInfoFixture('qemu-mps2an385-v1.29pre-mem_info1.txt'));
		assert.equal(snapshot.labelStyle, 'offset8');
		assert.equal(snapshot.bytesPerBlock, 16);
		assert.deepEqual(snapshot.mem, { totalBytes: 16451, currentBytes: 7379, peakBytes: 7443 });
		assert.deepEqual(snapshot.stack, { usedBytes: 368, limitBytes: 10240 });
		assert.equal(snapshot.areas[0]?.address, '2f890');
		assert.equal(snapshot.areas[0]?.cells.slice(0, 8), 'h=hLhhhh');
	});

	test('unix x86-64 has 32-byte blocks, derived from the label step 0x800', () => {
		const snapshot = only(readMemInfoFixture('unix-x64-v1.29pre-mem_info1.txt'));
		assert.equal(snapshot.bytesPerBlock, 32);
		assert.equal(snapshot.areas[0]?.cells.length, 2072832 / 32);
	});

	test('an area that starts with an elision line, and two layout sections', () => {
		const snapshot = only(readMemInfoFixture('unix-x64-v1.29pre-splitheap2-mem_info1.txt'));
		assert.equal(snapshot.areas.length, 2);
		assert.match(snapshot.areas[1]?.cells.slice() ?? '', /^\.+$/);
	});

	test('three areas and max new split on the WebAssembly port', () => {
		const snapshot = only(readMemInfoFixture('webassembly-pyscript-v1.27-three-areas.txt'));
		assert.equal(snapshot.areas.length, 3);
		assert.equal(snapshot.gc.maxNewSplitBytes, 134217728);
	});

	test('the unmerged fork header "GC area #N (size S)" keeps the declared size', () => {
		const snapshot = only(readMemInfoFixture('esp32-v1.9.3-pr3533-fork-two-areas.txt'));
		assert.deepEqual(
			snapshot.areas.map((area) => area.declaredBytes),
			[96000, 110976],
		);
	});

	test('before v1.8.1: absolute 5-digit labels and t tails, stored as =', () => {
		const snapshot = only(readMemInfoFixture('doc-pyboard-v1.8.0-issue2057-excerpt.txt'));
		assert.equal(snapshot.labelStyle, 'absolute5');
		assert.equal(snapshot.oldTails, true);
		assert.ok(!snapshot.areas[0]?.cells.slice().includes('t'));
		assert.equal(snapshot.counts?.maxFreeBlocks, undefined, 'no max free sz before v1.8.2');
	});

	test('5-digit offsets of v1.8.1–v1.19 and a No. line that lost its leading space', () => {
		const snapshot = only(readMemInfoFixture('esp32-vendordoc-pre1.20-mem_info_level.txt'));
		assert.equal(snapshot.labelStyle, 'offset5');
		assert.equal(snapshot.counts?.oneBlock, 82);
	});

	test('a summary-only dump is a snapshot without a map', () => {
		const snapshot = only(readMemInfoFixture('doc-esp32-v1.21dev-pr12141-summary-only.txt'));
		assert.equal(snapshot.map, undefined);
		assert.equal(snapshot.gc.maxNewSplitBytes, 188352);
		assert.equal(snapshot.counts?.maxFreeBlocks, 3821);
	});

	test('a trailing None from print(mem_info(1)) ends the dump', () => {
		const snapshot = only(readMemInfoFixture('rp2040-pico-tutorial-pre1.20-mem_info1.txt'));
		assert.ok(!snapshot.text.includes('None'));
		assert.deepEqual(snapshot.warnings, []);
	});
});

describe('dumps inside other text', () => {
	const dump = readMemInfoFixture('qemu-mps2an385-v1.29pre-mem_info1.txt');

	test('raw REPL framing around a dump: OK before, \\x04\\x04> after', () => {
		const snapshot = only(`OK${dump}\x04\x04>`);
		assert.deepEqual(snapshot.warnings, []);
		assert.equal(snapshot.gc.usedBytes, 7520);
	});

	test('a friendly REPL session with echo and prompts', () => {
		const log = `MicroPython v1.29\r\n>>> import micropython\r\n>>> micropython.mem_info(1)\r\n${dump}>>> `;
		const snapshot = only(log);
		assert.deepEqual(snapshot.warnings, []);
	});

	test('two dumps in a row give two snapshots, and the last one wins', () => {
		const text = readMemInfoFixture('qemu-mps2an385-v1.29pre-two-dumps-before-after-gc.txt');
		const all = parseAllMemInfo(text);
		assert.equal(all.length, 2);
		const last = only(text);
		assert.deepEqual(last, all[1]);
		assert.ok((all[0]?.gc.usedBytes ?? 0) > last.gc.usedBytes, 'the collect freed memory');
	});

	test('LF and CRLF line endings give the same figures', () => {
		const crlf = only(dump);
		const lf = only(dump.replaceAll('\r\n', '\n'));
		assert.deepEqual(lf, crlf);
	});

	test('a streaming parser yields the dump once the next line shows it has ended', () => {
		const parser = createMemInfoParser();
		assert.deepEqual(parser.push(dump), []);
		assert.equal(parser.inDump(), true);
		const done = parser.push('>>> ');
		assert.deepEqual(done, [], 'the prompt has no newline yet');
		assert.equal(parser.push('\r\n').length, 1);
		assert.equal(parser.inDump(), false);
	});
});

describe('damage and garbage', () => {
	const dump = readMemInfoFixture('esp8266-issue6086-mem_info1.txt');

	test('random bytes give a typed no-dump error, never a throw', () => {
		let seed = 1;
		let noise = '';
		for (let index = 0; index < 20000; index++) {
			seed = (seed * 1103515245 + 12345) % 2147483648;
			noise += String.fromCharCode(seed % 256);
		}
		const result = parseMemInfo(noise);
		assert.equal(result.ok, false);
		assert.equal(result.ok ? '' : result.error.kind, 'no-dump');
		assert.match(result.ok ? '' : result.error.message, /expected the output of micropython\.mem_info/);
	});

	test('a dump cut off at every line never throws and never passes as whole', () => {
		const lines = dump.split('\n');
		for (let keep = 1; keep < lines.length - 1; keep++) {
			const result = parseMemInfo(lines.slice(0, keep).join('\n'));
			if (!result.ok) {
				assert.equal(result.error.kind, 'incomplete');
				continue;
			}
			// Cut right after the three summary lines, what is left is a valid summary-only dump.
			const summaryOnly = keep === 3 && result.snapshot.map === undefined;
			assert.ok(summaryOnly || result.snapshot.warnings.length > 0, `cut after ${keep} lines must warn`);
		}
	});

	test('a missing row is named by its label', () => {
		const damaged = dump.replace(/^00800: .*\n/m, '');
		const snapshot = only(damaged);
		assert.match(snapshot.warnings.join('\n'), /row labels out of sequence.*row 00c00 where 00800 was expected/);
	});

	test('a row that lost cells is named', () => {
		const damaged = dump.replace(
			/^(01000: )(.{64})$/m,
			(_, label: string, cells: string) => label + cells.slice(0, 50),
		);
		const snapshot = only(damaged);
		assert.match(snapshot.warnings.join('\n'), /damaged rows.*row 01000 has 50 cells/);
	});

	test('an unknown letter is kept and counted as another head', () => {
		const damaged = dump.replace('00000: MDTh', '00000: MDTX');
		const snapshot = only(damaged);
		assert.equal(snapshot.map?.kinds.X?.objects, 1);
		assert.match(snapshot.warnings.join('\n'), /unknown cell letters X/);
	});

	test('a summary edited by hand disagrees with the map, and says how', () => {
		const damaged = dump.replace('1-blocks: 286', '1-blocks: 287');
		const snapshot = only(damaged);
		assert.match(snapshot.warnings.join('\n'), /1-blocks 286 \(summary says 287\)/);
	});

	test('a stack line with nothing after it is an incomplete dump', () => {
		const result = parseMemInfo('stack: 2112 out of 8192\n>>> ');
		assert.equal(result.ok, false);
		assert.equal(result.ok ? '' : result.error.kind, 'incomplete');
	});
});

test('a table that goes on past what the GC total can hold ends the dump there, warned: memory stays bounded by a real dump', () => {
	const capture = readMemInfoFixture('qemu-mps2an385-v1.29pre-mem_info1.txt');
	const row = capture.split('\n').find((line) => line.startsWith('00000000: ')) ?? '';
	// A board printing its first row without end, fed as a stream in pieces.
	const parser = createMemInfoParser();
	const found: HeapSnapshot[] = [];
	found.push(...parser.push(capture.slice(0, capture.indexOf('00000000: '))));
	for (let piece = 0; piece < 100; piece++) found.push(...parser.push(`${row}\n`.repeat(1000)));
	found.push(...parser.end());
	assert.equal(found.length, 1, 'one dump, ended at the bound, and the rows after it are no dump');
	const [snapshot] = found;
	assert.ok(snapshot);
	// 140,032 B at 4 B a block is 547 rows of 64; 64 more lines for headers and elisions.
	assert.ok(snapshot.warnings.some((warning) => /the map goes on past 611 lines/.test(warning)));
	assert.ok(snapshot.text.split('\n').length < 700, `${snapshot.text.split('\n').length} lines kept`);
	assert.equal(snapshot.map?.complete, false);
});
