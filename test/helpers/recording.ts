import { writeFileSync } from 'node:fs';
import { parseAllMemInfo } from '../../source/heap/parse.js';
import { encodeReading, type RecordedReading } from '../../source/recording/format.js';
import { readMemInfoFixture } from './fixtures.js';

/**
 * The qemu board's real dumps in the order a session could have taken them, each with whether a collect
 * ran just before: fresh, a plain reading, after a collect, then the two dumps around one more collect.
 * Their `used` figures all differ, so a test can tell which reading is on screen.
 */
export const QEMU_SESSION: readonly { fixture: string; afterCollect: boolean }[] = [
	{ fixture: 'qemu-mps2an385-v1.29pre-fresh.txt', afterCollect: true },
	{ fixture: 'qemu-mps2an385-v1.29pre-mem_info1.txt', afterCollect: false },
	{ fixture: 'qemu-mps2an385-v1.29pre-mem_info1-aftergc.txt', afterCollect: true },
	{ fixture: 'qemu-mps2an385-v1.29pre-two-dumps-before-after-gc.txt', afterCollect: false },
];

/**
 * The emulated board's real dumps of one 192 KiB heap (one start address, so that each pair can be diffed
 * block by block): fresh after a collect, full of garbage, then fragmented after a collect.
 */
export const EMULATOR_SESSION: readonly { fixture: string; afterCollect: boolean }[] = [
	{ fixture: 'webassembly-v1.27-fresh-192k.txt', afterCollect: true },
	{ fixture: 'webassembly-v1.27-garbage-192k.txt', afterCollect: false },
	{ fixture: 'webassembly-v1.27-fragmented-192k.txt', afterCollect: true },
];

/**
 * Writes a recording as `--record` does (the real encoder) of real dumps: every dump of each fixture in
 * order, `gapMs` apart from `startMs`. A fixture holding two dumps gives two readings, the second after a
 * collect. Returns the readings written.
 */
export function writeRecording(
	path: string,
	session: readonly { fixture: string; afterCollect: boolean }[] = QEMU_SESSION,
	options: { startMs?: number; gapMs?: number } = {},
): RecordedReading[] {
	const startMs = options.startMs ?? Date.UTC(2025, 0, 2, 3, 4, 5, 600);
	const gapMs = options.gapMs ?? 1000;
	const readings: RecordedReading[] = [];
	for (const entry of session) {
		parseAllMemInfo(readMemInfoFixture(entry.fixture)).forEach((snapshot, index) => {
			readings.push({
				v: 1,
				atMs: startMs + readings.length * gapMs,
				source: session === EMULATOR_SESSION ? 'emulated MicroPython' : 'qemu mps2-an385',
				afterCollect: index === 0 ? entry.afterCollect : true,
				text: snapshot.text,
			});
		});
	}
	writeFileSync(path, readings.map(encodeReading).join(''));
	return readings;
}
