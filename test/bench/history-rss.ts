/**
 * Run by the bench in a process of its own, so that nothing else it measured counts: 1,000 snapshots of
 * an 8 MiB heap through the TUI's history, then the process's RSS. Prints one JSON line.
 */

import { readFileSync } from 'node:fs';
import { parseMemInfo } from '../../source/heap/parse.js';
import { createHistory } from '../../source/ui/state/history.js';

// The dump comes from a file, so that the VM that made it is not in this process.
const text = readFileSync(process.argv[2] ?? '', 'latin1');
const history = createHistory();
globalThis.gc?.();
const startMb = process.memoryUsage().rss / 1024 / 1024;
for (let index = 0; index < 1000; index++) {
	// A fresh parse each time, as each reading from a board is: no snapshot is shared.
	const parsed = parseMemInfo(text);
	if (parsed.ok) history.push({ snapshot: parsed.snapshot, atMs: index * 1000, afterCollect: index % 2 === 0 });
}
globalThis.gc?.();
const rssMb = process.memoryUsage().rss / 1024 / 1024;
process.stdout.write(
	`${JSON.stringify({ startMb, rssMb, points: history.points().length, maps: history.recent().length })}\n`,
);
