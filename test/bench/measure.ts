/** One line of the bench report. */
export type BenchRow = { name: string; value: number; unit: string; note?: string };

/** Runs `work` `times` times and returns each duration in ms (after one warm-up run). */
export function timeMs(work: () => unknown, times: number): number[] {
	work();
	const durations: number[] = [];
	for (let run = 0; run < times; run++) {
		const start = performance.now();
		work();
		durations.push(performance.now() - start);
	}
	return durations;
}

/** The middle value: steadier than the mean on a shared 2-core machine. */
export function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Prints rows as an aligned table. */
export function printRows(title: string, rows: BenchRow[]): void {
	process.stdout.write(`\n${title}\n`);
	for (const row of rows) {
		const value = row.value >= 100 ? row.value.toFixed(0) : row.value.toFixed(2);
		process.stdout.write(
			`  ${row.name.padEnd(44)} ${value.padStart(9)} ${row.unit.padEnd(3)} ${row.note ? ` ${row.note}` : ''}\n`,
		);
	}
}
