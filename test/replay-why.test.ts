import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadMicroPython } from '@micropython/micropython-webassembly-pyscript';
import { encodeReading, type RecordedReading } from '../source/recording/format.js';
import { heaptop } from './helpers/heaptop.js';

/*
 * `replay FILE --once` on recordings of the real MicroPython VM: each step runs some Python, collects, and
 * records the dump taken after the collect, as `--record` would.
 */

const dir = mkdtempSync(join(tmpdir(), 'heaptop-replay-why-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `setup`, then `step` `steps` times, recording a dump after a collect each time (and one before it). */
async function record(name: string, setup: string, step: string, steps: number): Promise<string> {
	let out: number[] = [];
	const vm = await loadMicroPython({
		heapsize: 64 * 1024,
		linebuffer: false,
		stdout: (data: Uint8Array) => {
			for (const byte of data) out.push(byte);
		},
	});
	const dump = (): string => {
		out = [];
		vm.runPython("__import__('micropython').mem_info(1)");
		return Buffer.from(out).toString('latin1');
	};
	vm.runPython(setup);
	const readings: RecordedReading[] = [];
	for (let index = 0; index < steps; index++) {
		vm.runPython(step);
		const before = dump();
		// This port collects once control is back in JavaScript: the dump after this call is after a collect.
		vm.runPython("__import__('gc').collect()");
		const collected = dump();
		for (const [text, afterCollect] of [
			[before, false],
			[collected, true],
		] as const) {
			readings.push({ v: 1, atMs: 1_700_000_000_000 + readings.length * 1000, source: 'test VM', afterCollect, text });
		}
	}
	const path = join(dir, name);
	writeFileSync(path, readings.map(encodeReading).join(''));
	return path;
}

test('replay --once of a leak: used after collect grew at every collect, and what stayed in place', async () => {
	const path = await record(
		'leak.jsonl',
		'kept = []',
		'kept.append(bytearray(200)); junk = [bytearray(300) for i in range(5)]',
		8,
	);
	const run = heaptop(['replay', path, '--once']);
	assert.equal(run.code, 0, run.stderr);
	const text = run.stdout.replaceAll(/\n {10}/g, ' ');
	assert.match(text, /\nverdict {3}used after collect grew [4-9] collects in a row, \+2\d\d B each: a leak\.\n/);
	assert.match(text, /\npinned {4}[\d,]+ objects stayed in place through the last 8 collects/);
});

test('replay --once of a steady program: flat after collect, and what a collect frees', async () => {
	const path = await record('steady.jsonl', 'kept = bytearray(1000)', 'junk = [bytearray(300) for i in range(5)]', 6);
	const run = heaptop(['replay', path, '--once']);
	assert.equal(run.code, 0, run.stderr);
	const text = run.stdout.replaceAll(/\n {10}/g, ' ');
	assert.match(
		text,
		/\nverdict {3}used after collect is flat \(within 16 B\) over 6 collects: the rest is garbage; the last collect freed [\d,]+ B\.\n/,
	);
	// --json and --fit print what they always print: the series is for the words.
	assert.doesNotMatch(heaptop(['replay', path, '--once', '--fit', '1k']).stdout, /verdict/);
});
