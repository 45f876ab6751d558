import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { parseBoardInfo } from '../source/protocol/board-info.js';

/*
 * The identify line, from real captures (test/fixtures/identify): the qemu firmware, the WebAssembly port behind
 * the virtual board, and the virtual board's CircuitPython; and string reprs the qemu firmware printed, put in
 * the machine's place, for the quoting the parser must undo.
 */

const identifyDir = new URL('./fixtures/identify/', import.meta.url).pathname;
const capture = (name: string) => readFileSync(`${identifyDir}${name}`, 'latin1');
const qemuLine = capture('qemu-mps2an385-v1.29pre.txt');

describe('what the board says about itself', () => {
	test('the qemu firmware: name, version without its release level, platform, machine, mem_info there', () => {
		assert.deepEqual(parseBoardInfo(qemuLine), {
			implementation: 'micropython',
			version: '1.29.0',
			platform: 'qemu',
			machine: 'mps2-an385 with Cortex-M3',
			hasMemInfo: true,
		});
	});

	test('the WebAssembly port and CircuitPython (which has no mem_info)', () => {
		assert.deepEqual(parseBoardInfo(capture('webassembly-v1.27.txt')), {
			implementation: 'micropython',
			version: '1.27.0',
			platform: 'webassembly',
			machine: 'JS with Emscripten',
			hasMemInfo: true,
		});
		const circuit = parseBoardInfo(capture('circuitpython-virtual.txt'));
		assert.equal(circuit?.implementation, 'circuitpython');
		assert.equal(circuit?.version, '9.2.1');
		assert.equal(circuit?.machine, 'Raspberry Pi Pico with rp2040');
		assert.equal(circuit?.hasMemInfo, false);
	});

	test('without the mem_info word (the folded command asks it by running it), hasMemInfo is left out', () => {
		const folded = qemuLine.replace(/ True\r\n$/, '\r\n');
		const info = parseBoardInfo(folded);
		assert.equal(info?.platform, 'qemu');
		assert.equal(info && 'hasMemInfo' in info, false);
	});

	test('a machine name in any quoting MicroPython prints comes back as the board holds it', () => {
		const reprs = capture('qemu-v1.29pre-str-reprs.txt').split('\r\n').slice(0, -1);
		const expected = [
			"it's",
			'say "hi"',
			`both ' and "`,
			'esc\x1b[2J\x07 tab\t nl\n back\\ del\x7f',
			// Printed as UTF-8 bytes, read one character per byte as all board output is.
			Buffer.from('café \u202e', 'utf8').toString('latin1'),
			'a)b, c=d',
		];
		assert.equal(reprs.length, expected.length);
		reprs.forEach((repr, index) => {
			const line = qemuLine.replace("'mps2-an385 with Cortex-M3'", repr);
			assert.equal(parseBoardInfo(line)?.machine, expected[index]?.trim(), repr);
		});
	});

	test('a build without attribute tuples prints a plain tuple: name and version by position', () => {
		const plain = qemuLine.replace(/^\(.*\)(?= qemu)/, "('micropython', (1, 9, 4))");
		assert.deepEqual(parseBoardInfo(plain), {
			implementation: 'micropython',
			version: '1.9.4',
			platform: 'qemu',
			machine: '',
			hasMemInfo: true,
		});
	});

	test('anything else is no identify line, and never throws', () => {
		for (const line of [
			'Traceback (most recent call last):',
			'',
			'(',
			"(name='micropython', version=(1, 29",
			"(name='micropython') qemu True",
			"(name='micropython', version=(1, 29, 0)) qemu maybe",
			"(name='unterminated, version=(1, 2, 3)) qemu True",
			"(name='bad\\q', version=(1, 2, 3)) qemu True",
			`${'('.repeat(10_000)} qemu True`,
			qemuLine.slice(0, 40),
		]) {
			assert.equal(parseBoardInfo(line), undefined, JSON.stringify(line.slice(0, 60)));
		}
	});
});
