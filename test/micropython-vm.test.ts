import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeSnapshot } from '../source/heap/analyze.js';
import type { HeapSnapshot } from '../source/heap/model.js';
import { parseMemInfo } from '../source/heap/parse.js';
import { createInputRing, inputRingReader } from '../source/sources/input-ring.js';
import {
	createInterruptFlag,
	loadVm,
	type MicroPythonVm,
	nudgeInterrupt,
	raiseInterrupt,
	VmError,
} from '../source/sources/micropython-vm.js';

function snapshotOf(vm: MicroPythonVm): HeapSnapshot {
	const parsed = parseMemInfo(vm.memInfo());
	assert.ok(parsed.ok, parsed.ok ? '' : parsed.error.message);
	return parsed.snapshot;
}

function collectingOutput(): { text: () => string; onOutput: (bytes: Uint8Array) => void } {
	const chunks: Buffer[] = [];
	return { text: () => Buffer.concat(chunks).toString('utf8'), onOutput: (bytes) => chunks.push(Buffer.from(bytes)) };
}

test('a 64 KiB board runs out after about 60 bytearray(1000), as the live objects fill it', async () => {
	const output = collectingOutput();
	const vm = await loadVm({ heapBytes: 64 * 1024, onOutput: output.onOutput });
	const result = vm.exec(`bufs = []
try:
    while True:
        bufs.append(bytearray(1000))
except MemoryError:
    print(len(bufs))
`);
	assert.ok(result.ok);
	const count = Number(output.text().trim());
	// 1,000 bytes round up to 63 blocks of 16 B, plus one block for the bytearray object: 1,024 B each.
	assert.ok(count >= 55 && count <= 62, `MemoryError after ${count} bytearrays`);
	const snapshot = snapshotOf(vm);
	assert.equal(snapshot.gc.totalBytes, 64000, 'the heap did not grow');
	assert.equal(snapshot.areas.length, 1);
	assert.ok(snapshot.gc.usedBytes >= count * 1008, 'the bytearrays are still there');
	vm.close();
});

test('the same loop on a growable heap adds heap areas instead of failing', async () => {
	const output = collectingOutput();
	const vm = await loadVm({ heapBytes: 64 * 1024, growable: true, onOutput: output.onOutput });
	const result = vm.exec('bufs = [bytearray(1000) for i in range(200)]\nprint(len(bufs))\n');
	assert.ok(result.ok);
	assert.equal(output.text().trim(), '200');
	const snapshot = snapshotOf(vm);
	assert.ok(snapshot.areas.length > 1, 'a second area was added');
	assert.ok(snapshot.gc.totalBytes > 64000);
	vm.close();
});

test('a fixed heap reports max new split 0, so gc.mem_free() is the free figure of mem_info', async () => {
	const output = collectingOutput();
	const vm = await loadVm({ heapBytes: 64 * 1024, onOutput: output.onOutput });
	vm.collect();
	const snapshot = snapshotOf(vm);
	assert.equal(snapshot.gc.maxNewSplitBytes, 0);
	assert.ok(vm.exec('import gc\nprint(gc.mem_free() + gc.mem_alloc())\n').ok);
	assert.equal(Number(output.text().trim()), snapshot.gc.totalBytes);
	vm.close();
});

test('mem_info is taken without compiling, even when the heap is too full to compile a line', async () => {
	const vm = await loadVm({ heapBytes: 32 * 1024 });
	vm.exec('keep = []\ntry:\n    while True:\n        keep.append(bytearray(64))\nexcept MemoryError:\n    pass\n');
	const compiled = vm.exec('x = [1, 2, 3]\n');
	assert.equal(compiled.ok, false);
	const snapshot = snapshotOf(vm);
	const metrics = analyzeSnapshot(snapshot);
	assert.ok(metrics.usedFraction > 0.95, `used fraction ${metrics.usedFraction}`);
	vm.close();
});

test('an exception raised on a completely full heap comes back as MemoryError instead of hanging the VM', async () => {
	const vm = await loadVm({ heapBytes: 32 * 1024 });
	vm.exec('keep = []\ntry:\n    while True:\n        keep.append(bytearray(16))\nexcept MemoryError:\n    pass\n');
	const result = vm.exec('raise ValueError("no room to report me")\n');
	assert.equal(result.ok, false);
	if (!result.ok) assert.equal(result.exception.type, 'MemoryError');
	// The VM is still usable: a snapshot can be taken.
	assert.equal(snapshotOf(vm).gc.freeBytes < 64, true);
	vm.close();
});

test('uncaught exceptions come back with their type and MicroPython traceback; output is passed on', async () => {
	const output = collectingOutput();
	const vm = await loadVm({ heapBytes: 64 * 1024, onOutput: output.onOutput });
	const result = vm.exec('print("before")\ndef f():\n    raise ValueError("boom")\nf()\n');
	assert.equal(output.text(), 'before\n');
	assert.equal(result.ok, false);
	if (!result.ok) {
		assert.equal(result.exception.type, 'ValueError');
		assert.match(result.exception.traceback, /^Traceback \(most recent call last\):\n {2}File "<stdin>", line 4/);
		assert.match(result.exception.traceback, /ValueError: boom\n$/);
	}
	vm.close();
});

test('two VMs in one thread keep separate heaps and separate output', async () => {
	const first = collectingOutput();
	const second = collectingOutput();
	const a = await loadVm({ heapBytes: 64 * 1024, onOutput: first.onOutput });
	const b = await loadVm({ heapBytes: 96 * 1024, onOutput: second.onOutput });
	assert.ok(a.exec('x = bytearray(20000)\nprint("a")\n').ok);
	assert.ok(b.exec('y = bytearray(3000)\nprint("b")\n').ok);
	assert.ok(a.exec('print(len(x))\n').ok);
	assert.equal(first.text(), 'a\n20000\n');
	assert.equal(second.text(), 'b\n');
	const heapA = snapshotOf(a);
	const heapB = snapshotOf(b);
	assert.ok(heapA.gc.usedBytes > 20000 && heapA.gc.usedBytes < 30000);
	assert.ok(heapB.gc.usedBytes > 3000 && heapB.gc.usedBytes < 10000);
	assert.notEqual(heapA.gc.totalBytes, heapB.gc.totalBytes);
	a.close();
	b.close();
});

test('an interrupt flag set while Python runs raises KeyboardInterrupt', async () => {
	const flag = createInterruptFlag();
	const vm = await loadVm({ heapBytes: 64 * 1024, interruptFlag: flag });
	// The flag is set before the loop starts; the VM notices it while running, as it would from another thread.
	raiseInterrupt(flag);
	const result = vm.exec('n = 0\nwhile True:\n    n = n + 1\n');
	assert.equal(result.ok, false);
	if (!result.ok) assert.equal(result.exception.type, 'KeyboardInterrupt');
	assert.equal(Atomics.load(flag, 0), 0, 'the flag is consumed');
	assert.ok(vm.exec('n = 1\n').ok, 'the next run is not interrupted');
	vm.close();
});

test('a VM with an interrupt flag offers a nudge in shared memory; without a flag its memory is its own', async () => {
	const vm = await loadVm({ heapBytes: 64 * 1024, interruptFlag: createInterruptFlag() });
	assert.ok(vm.interruptNudge, 'the scheduler word was found');
	assert.ok(vm.interruptNudge.memory instanceof SharedArrayBuffer);
	const plain = await loadVm({ heapBytes: 64 * 1024 });
	assert.equal(plain.interruptNudge, undefined);
	vm.close();
	plain.close();
});

test('a nudge without a Ctrl-C behind it interrupts nothing, and finding the word left nothing pending', async () => {
	const flag = createInterruptFlag();
	const vm = await loadVm({ heapBytes: 64 * 1024, interruptFlag: flag });
	assert.ok(vm.exec('n = 0\nfor i in range(2000):\n    n = n + 1\n').ok, 'no KeyboardInterrupt left from the search');
	const nudge = vm.interruptNudge;
	assert.ok(nudge);
	nudgeInterrupt(nudge);
	assert.ok(vm.exec('n = 0\nfor i in range(2000):\n    n = n + 1\n').ok);
	// With the flag up as well, the nudge's one call sees it.
	raiseInterrupt(flag, nudge);
	const stopped = vm.exec('while True:\n    pass\n');
	assert.equal(stopped.ok === false && stopped.exception.type, 'KeyboardInterrupt');
	vm.close();
});

test('a Ctrl-C delivered after the last jump of a command is dropped with it, as pyexec does, not left for the next', async () => {
	const flag = createInterruptFlag();
	let delivered = 0;
	const vm = await loadVm({
		heapBytes: 64 * 1024,
		interruptFlag: flag,
		stdin: { ring: inputRingReader(createInputRing(64)), onInterrupt: () => delivered++ },
	});
	// Raised from inside the command's last call: the calls after it (and no jump) see it.
	(globalThis as Record<string, unknown>).heaptopTestCtrlC = () => raiseInterrupt(flag, vm.interruptNudge);
	const first = vm.exec('import js\njs.heaptopTestCtrlC()');
	const next = vm.exec('n = 0\nfor i in range(50):\n    n = n + 1\n');
	delete (globalThis as Record<string, unknown>).heaptopTestCtrlC;
	assert.ok(first.ok, 'too late to interrupt the first command');
	assert.equal(delivered, 1, 'but delivered in its last calls');
	assert.ok(next.ok, next.ok ? '' : `the next command got ${next.exception.type}`);
	assert.equal(Atomics.load(flag, 0), 0);
	vm.close();
});

test('uninterruptible code runs to its end with the flag up, and the flag stays for the next command', async () => {
	const flag = createInterruptFlag();
	const vm = await loadVm({ heapBytes: 64 * 1024, interruptFlag: flag });
	raiseInterrupt(flag);
	assert.ok(vm.exec('n = 0\nfor i in range(20000):\n    n = n + 1\n', { uninterruptible: true }).ok);
	assert.equal(Atomics.load(flag, 0), 1, 'the Ctrl-C waits');
	const next = vm.exec('m = 0\nwhile True:\n    m = m + 1\n');
	assert.equal(next.ok, false, 'and interrupts what runs next');
	vm.close();
});

/*
 * The board's main thread raises the flag, then counts the Ctrl-C; the VM's thread notes the count as
 * delivered and lowers the flag. A Ctrl-C can land on either side of the count's reading: either way, a flag
 * left up must belong to a Ctrl-C not yet counted as delivered, or it interrupts the user's next command.
 */
for (const landing of ['before', 'after'] as const) {
	test(`a Ctrl-C landing ${landing} the delivery's count: no flag is left up for a delivered Ctrl-C`, async () => {
		const flag = createInterruptFlag();
		let count = 1;
		let delivered = 0;
		const secondCtrlC = () => {
			Atomics.store(flag, 0, 1);
			count++;
		};
		const vm = await loadVm({
			heapBytes: 64 * 1024,
			interruptFlag: flag,
			stdin: {
				ring: inputRingReader(createInputRing(64)),
				onInterrupt: () => {
					if (landing === 'before') secondCtrlC();
					delivered = count;
					if (landing === 'after') secondCtrlC();
				},
			},
		});
		raiseInterrupt(flag);
		const result = vm.exec('n = 0\nwhile True:\n    n = n + 1\n');
		assert.equal(result.ok, false);
		const up = Atomics.load(flag, 0) !== 0;
		assert.ok(!up || count > delivered, `flag ${up ? 'up' : 'down'}, ${count} counted, ${delivered} delivered`);
		vm.close();
	});
}

test('the REPL can be driven byte by byte and echoes, runs and prompts', async () => {
	const output = collectingOutput();
	const vm = await loadVm({ heapBytes: 64 * 1024, onOutput: output.onOutput });
	vm.replInit();
	for (const byte of Buffer.from('6 * 7\r')) vm.replProcessChar(byte);
	assert.match(output.text(), /MicroPython v1\.27\.0/);
	// The wasm port ends printed values with a bare \n where a board sends \r\n.
	assert.match(output.text(), />>> 6 \* 7\r\n42\r?\n>>> $/);
	vm.close();
});

test('a closed VM and a too-small heap fail with a VmError', async () => {
	const vm = await loadVm({ heapBytes: 16 * 1024 });
	vm.close();
	assert.throws(() => vm.memInfo(), VmError);
	await assert.rejects(loadVm({ heapBytes: 1024 }), VmError);
});
