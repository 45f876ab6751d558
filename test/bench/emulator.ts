import { parseMemInfo } from '../../source/heap/parse.js';
import { createEmulatorSource } from '../../source/sources/emulator.js';
import { loadVm } from '../../source/sources/micropython-vm.js';
import { type BenchRow, median, timeMs } from './measure.js';

/** Emulator start-up, and one snapshot of a 192 KiB heap, fresh and fragmented. */
export async function benchEmulator(): Promise<BenchRow[]> {
	const rows: BenchRow[] = [];
	let start = performance.now();
	const first = await loadVm({ heapBytes: 192 * 1024 });
	rows.push({ name: 'first VM load (compiles the wasm)', value: performance.now() - start, unit: 'ms' });
	first.close();
	const loads: number[] = [];
	for (let run = 0; run < 5; run++) {
		start = performance.now();
		(await loadVm({ heapBytes: 192 * 1024 })).close();
		loads.push(performance.now() - start);
	}
	rows.push({ name: 'later VM loads', value: median(loads), unit: 'ms' });

	start = performance.now();
	const source = createEmulatorSource({ scenario: 'fragmentation' });
	await source.start();
	rows.push({ name: 'emulated board start (first step included)', value: performance.now() - start, unit: 'ms' });
	const reads: number[] = [];
	for (let run = 0; run < 20; run++) {
		const before = performance.now();
		await source.read({ collect: false });
		reads.push(performance.now() - before);
	}
	const fresh = median(reads);
	rows.push({ name: 'read() of the board after its first step', value: fresh, unit: 'ms', note: 'aim < 5 ms' });
	await source.close();

	const vm = await loadVm({ heapBytes: 192 * 1024 });
	vm.exec(
		'keep = []\nfor i in range(400):\n    keep.append(bytearray(200))\n    keep.append([i])\nfor i in range(0, len(keep), 2):\n    keep[i] = None',
	);
	vm.collect();
	const snapshotMs = median(
		timeMs(() => {
			const parsed = parseMemInfo(vm.memInfo());
			if (!parsed.ok) throw new Error(parsed.error.message);
		}, 30),
	);
	vm.close();
	rows.push({
		name: 'snapshot (mem_info + parse), fragmented 192 KiB',
		value: snapshotMs,
		unit: 'ms',
		note: 'aim < 5 ms',
	});
	return rows;
}
