/**
 * Writes real `micropython.mem_info(1)` dumps from the emulated board (MicroPython v1.27.0, WebAssembly) into
 * test/fixtures/mem_info/, byte for byte as the VM printed them:
 *
 *   node --import tsx test/helpers/capture-emulator-fixtures.ts
 *
 * - webassembly-v1.27-fresh-192k.txt: a fresh Pico-sized board after a collect.
 * - webassembly-v1.27-fragmented-192k.txt: the end of the `fragmentation` scenario, after its MemoryError.
 * - webassembly-v1.27-full-64k.txt: a 64 KiB board filled with bytearray(1000) up to MemoryError.
 * - webassembly-v1.27-garbage-192k.txt: the `string-building` scenario's first step, printed by the program
 *   itself before the VM collected its garbage.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scenarios } from '../../source/scenarios/index.js';
import { picoHeapBytes } from '../../source/sources/heap-size.js';
import { loadVm } from '../../source/sources/micropython-vm.js';
import { memInfoDir } from './fixtures.js';

function save(name: string, text: string): void {
	writeFileSync(join(memInfoDir, name), text, 'latin1');
	process.stdout.write(`${name}: ${text.length} bytes\n`);
}

async function runSteps(name: string, count: number, heapBytes: number) {
	const scenario = scenarios.find((entry) => entry.name === name);
	if (!scenario) throw new Error(`no scenario ${name}`);
	let printed = '';
	const vm = await loadVm({
		heapBytes,
		onOutput: (bytes, stream) => {
			if (stream === 'stdout') printed += Buffer.from(bytes).toString('latin1');
		},
	});
	for (const step of scenario.steps.slice(0, count)) {
		printed = '';
		vm.exec(step.code);
		if (step.collect) vm.collect();
	}
	return { vm, printed };
}

const fresh = await loadVm({ heapBytes: picoHeapBytes });
fresh.collect();
save('webassembly-v1.27-fresh-192k.txt', fresh.memInfo());

const fragmented = await runSteps('fragmentation', Number.POSITIVE_INFINITY, picoHeapBytes);
save('webassembly-v1.27-fragmented-192k.txt', fragmented.vm.memInfo());

const full = await loadVm({ heapBytes: 64 * 1024 });
full.exec('bufs = []\ntry:\n    while True:\n        bufs.append(bytearray(1000))\nexcept MemoryError:\n    pass\n');
save('webassembly-v1.27-full-64k.txt', full.memInfo());

// The program's own dump is the part of its output from the first summary line on.
const garbage = await runSteps('string-building', 1, picoHeapBytes);
const dumpStart = garbage.printed.indexOf('stack: ');
if (dumpStart < 0) throw new Error('the string-building step printed no dump');
save('webassembly-v1.27-garbage-192k.txt', garbage.printed.slice(dumpStart));
