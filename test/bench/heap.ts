import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeSnapshot } from '../../source/heap/analyze.js';
import { parseMemInfo } from '../../source/heap/parse.js';
import { makeBigDump } from './make-big-dump.js';
import { type BenchRow, median, timeMs } from './measure.js';

const cliPath = new URL('../../dist/cli.cjs', import.meta.url).pathname;

/** The baseline the parser is held to: touching every character of the text once, doing nothing with it. */
function bareScan(text: string): number {
	let lines = 0;
	for (let index = 0; index < text.length; index++) if (text.charCodeAt(index) === 10) lines++;
	return lines;
}

/** Parse and analysis of an 8 MiB heap against a bare scan; `heaptop inspect` as a process against `node -e`. */
export async function benchHeap(): Promise<BenchRow[]> {
	const text = await makeBigDump();
	const parsed = parseMemInfo(text);
	if (!parsed.ok) throw new Error(`the VM's dump did not parse: ${parsed.error.message}`);
	const { snapshot } = parsed;
	const blocks = snapshot.map?.blocks ?? 0;
	const rows: BenchRow[] = [];
	const note = `${blocks.toLocaleString('en-US')} blocks, ${snapshot.map?.freeRuns.toLocaleString('en-US')} free runs, ${(text.length / 1024).toFixed(0)} KiB of text, ${snapshot.warnings.length} warnings`;

	const scanMs = median(timeMs(() => bareScan(text), 50));
	const parseMs = median(
		timeMs(() => analyzeSnapshot((parseMemInfo(text) as { ok: true; snapshot: typeof snapshot }).snapshot), 30),
	);
	rows.push({ name: 'bare scan of the 8 MiB dump', value: scanMs, unit: 'ms', note });
	rows.push({
		name: 'parse + analyse the 8 MiB dump',
		value: parseMs,
		unit: 'ms',
		note: `${(parseMs / scanMs).toFixed(1)}× the bare scan (aim ≤ 5×)`,
	});

	const file = join(tmpdir(), 'heaptop-bench-8mib.txt');
	writeFileSync(file, text);
	const run = (args: string[]) =>
		median(
			timeMs(() => {
				const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
				if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}`);
			}, 9),
		);
	const nodeMs = run(['-e', `require('fs').readFileSync(${JSON.stringify(file)})`]);
	const inspectMs = run([cliPath, 'inspect', file]);
	const inspectJsonMs = run([cliPath, 'inspect', '--json', file]);
	rmSync(file, { force: true });
	rows.push({ name: 'node -e reading the dump file', value: nodeMs, unit: 'ms', note: 'whole process' });
	rows.push({
		name: 'heaptop inspect FILE',
		value: inspectMs,
		unit: 'ms',
		note: `${(inspectMs / nodeMs).toFixed(2)}× node -e (aim ≤ 2.5×)`,
	});
	rows.push({
		name: 'heaptop inspect --json FILE',
		value: inspectJsonMs,
		unit: 'ms',
		note: `${(inspectJsonMs / nodeMs).toFixed(2)}× node -e`,
	});
	return rows;
}
