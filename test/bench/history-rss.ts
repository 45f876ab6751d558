/**
 * Run by the bench in a process of its own, so that nothing else it measured counts: 1,000 snapshots of
 * an 8 MiB heap through the TUI's history, then the process's RSS once it has settled, and its peak. Prints one
 * JSON line.
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
// Right after a collect, V8 still holds the pages it freed and gives them back in the background: read then,
// the figure went anywhere from 110 to 157 MB for the same 9 MB of live heap. Read once it stops falling.
const rss = () => process.memoryUsage().rss / 1024 / 1024;
globalThis.gc?.();
const justAfterMb = rss();
let rssMb = justAfterMb;
for (const deadline = performance.now() + 3000; performance.now() < deadline; ) {
	await new Promise((resolve) => setTimeout(resolve, 100));
	globalThis.gc?.();
	const now = rss();
	const settled = now > rssMb - 0.5;
	rssMb = Math.min(rssMb, now);
	if (settled) break;
}
const peakMb = process.resourceUsage().maxRSS / 1024;
const heapMb = process.memoryUsage().heapUsed / 1024 / 1024;
process.stdout.write(
	`${JSON.stringify({ startMb, rssMb, justAfterMb, peakMb, heapMb, points: history.points().length, maps: history.recent().length })}\n`,
);
