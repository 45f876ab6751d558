/**
 * Copies the real dumps that protocol.md §8 quotes verbatim (and that shared/fixtures has no file for) into
 * test/fixtures/mem_info/doc-*.txt, so that no fixture is typed by hand. Run once after the doc changes:
 *   npx tsx test/helpers/extract-doc-samples.ts ../shared/docs/protocol.md
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const wanted: Record<string, string[]> = {
	'8.7': ['doc-unix-x64-2024-mem_usage_parser.txt'],
	'8.9': ['doc-pyboard-v1.8.0-issue2057-excerpt.txt'],
	'8.10': [
		'doc-pyboard-v1.6-issue1877-summary-only.txt',
		'doc-esp32-v1.21dev-pr12141-summary-only.txt',
		'doc-esp32-v1.24.1-notes-summary-only.txt',
		'doc-unix-memstats-pr15752-summary-only.txt',
		'doc-nrf52-monocle-truncated.txt',
	],
};

const docPath = process.argv[2] ?? '../shared/docs/protocol.md';
const doc = readFileSync(docPath, 'utf8');
const sections = doc.split(/^### /m);
for (const [number, names] of Object.entries(wanted)) {
	const section = sections.find((text) => text.startsWith(`${number} `));
	if (!section) throw new Error(`protocol.md has no section ${number}`);
	const blocks = [...section.matchAll(/^( *)```\n([\s\S]*?)^\1```$/gm)].map((match) => {
		const indent = match[1] ?? '';
		// Blocks inside list items are indented by the list; the dump's own leading spaces come after that.
		return (match[2] ?? '')
			.split('\n')
			.map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line))
			.join('\n');
	});
	names.forEach((name, index) => {
		const text = blocks[index];
		if (text === undefined) throw new Error(`section ${number} has no block ${index + 1}`);
		writeFileSync(join('test/fixtures/mem_info', name), text);
		console.log(`${name}: ${text.split('\n').length - 1} lines`);
	});
}
