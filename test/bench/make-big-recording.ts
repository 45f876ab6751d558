import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeRecording, encodeReading } from '../../source/recording/format.js';
import { recordReadings } from '../../source/recording/recorder.js';
import { createEmulatorSource, listScenarios } from '../../source/sources/emulator.js';

/**
 * Records every demo scenario on the emulated 192 KiB board with the real recorder: each step's readings,
 * then a plain reading and one after a collect. Returns the recorded lines.
 */
async function recordDemo(): Promise<string[]> {
	const path = join(tmpdir(), `heaptop-bench-demo-${process.pid}.jsonl`);
	rmSync(path, { force: true });
	let ticks = 0;
	const clock = () => Date.UTC(2025, 0, 2, 3, 4, 5, 600) + 1000 * ticks++;
	for (const { name } of listScenarios()) {
		const source = createEmulatorSource({ scenario: name, clock });
		const stop = recordReadings(source, path, (message) => {
			throw new Error(message);
		});
		await source.start();
		const steps = source.scenario?.current().steps ?? 0;
		for (let step = 1; step < steps; step++) {
			await source.scenario?.next();
			await source.read({ collect: false });
			await source.read({ collect: true });
		}
		stop();
		await source.close();
	}
	const { readings } = decodeRecording(readFileSync(path, 'utf8'));
	rmSync(path, { force: true });
	return readings.map(encodeReading);
}

/**
 * Writes a recording of `count` readings of the demo heap to `path`, as a long `--record` session of the
 * demo would be: the demo's real dumps (recorded once, above) over and over, each line re-encoded with the
 * real encoder and its own time, one second apart. Returns the file's size in bytes.
 */
export async function makeBigRecording(path: string, count: number): Promise<{ bytes: number; distinct: number }> {
	const demo = decodeRecording((await recordDemo()).join('')).readings;
	const startMs = Date.UTC(2025, 0, 2, 3, 4, 5, 600);
	const lines: string[] = [];
	for (let index = 0; index < count; index++) {
		const recorded = demo[index % demo.length];
		if (!recorded) throw new Error('the demo recorded no readings');
		lines.push(encodeReading({ ...recorded, atMs: startMs + index * 1000 }));
	}
	const text = lines.join('');
	writeFileSync(path, text);
	return { bytes: Buffer.byteLength(text), distinct: demo.length };
}
