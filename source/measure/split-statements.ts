/**
 * Splits Python source into its top-level statements, for `heaptop profile`: each `def`, `class`, `with`,
 * `for`, `if`… block is one statement together with its indented body, decorators and `elif`/`else`/
 * `except`/`finally` clauses. Pure and tolerant: it tracks brackets, strings and line continuations, but
 * it is no Python parser, and code it cannot split cleanly still runs, just in bigger pieces.
 */

/** One top-level statement: its source text and the 1-based line where it starts. */
export type Statement = { line: number; code: string };

/** Clauses that continue the compound statement above them rather than start a new one. */
const CONTINUATION = /^(elif\b|else\b|except\b|finally\b|case\b)/;

/** The statements of `source`, in order. Blank lines and comments between statements belong to none. */
export function splitStatements(source: string): Statement[] {
	const lines = source.replaceAll('\r\n', '\n').split('\n');
	const statements: Statement[] = [];
	let current: { line: number; lines: string[] } | undefined;
	let depth = 0;
	let openString: string | undefined;
	let continued = false;
	let decorated = false;

	const flush = () => {
		if (!current) return;
		while (current.lines.length > 0 && (current.lines.at(-1) ?? '').trim() === '') current.lines.pop();
		statements.push({ line: current.line, code: current.lines.join('\n') });
		current = undefined;
	};

	lines.forEach((text, index) => {
		const inside = depth > 0 || openString !== undefined || continued;
		const trimmed = text.trim();
		const atColumnZero = text.length > 0 && text[0] !== ' ' && text[0] !== '\t';
		const startsNew =
			!inside &&
			atColumnZero &&
			trimmed !== '' &&
			!trimmed.startsWith('#') &&
			!CONTINUATION.test(trimmed) &&
			!decorated;
		if (startsNew) {
			flush();
			current = { line: index + 1, lines: [] };
		}
		if (current && (trimmed !== '' || inside || current.lines.length > 0)) {
			// A comment at column zero between statements belongs to none of them.
			if (!(atColumnZero && trimmed.startsWith('#') && !inside)) current.lines.push(text);
		}
		if (!inside && atColumnZero) decorated = trimmed.startsWith('@');
		({ depth, openString, continued } = scanLine(text, depth, openString));
	});
	flush();
	return statements;
}

/** Follows brackets and strings through one line: what is still open at its end. */
function scanLine(
	text: string,
	startDepth: number,
	startString: string | undefined,
): { depth: number; openString: string | undefined; continued: boolean } {
	let depth = startDepth;
	let openString = startString;
	let index = 0;
	while (index < text.length) {
		const char = text[index] ?? '';
		if (openString !== undefined) {
			if (char === '\\') {
				index += 2;
				continue;
			}
			if (text.startsWith(openString, index)) {
				index += openString.length;
				openString = undefined;
				continue;
			}
			index++;
			continue;
		}
		if (char === '#') break;
		if (char === '"' || char === "'") {
			const triple = char.repeat(3);
			openString = text.startsWith(triple, index) ? triple : char;
			index += openString.length;
			continue;
		}
		if (char === '(' || char === '[' || char === '{') depth++;
		else if (char === ')' || char === ']' || char === '}') depth = Math.max(0, depth - 1);
		index++;
	}
	// A one-quote string cannot cross a line; only a triple-quoted one stays open.
	if (openString !== undefined && openString.length === 1) openString = undefined;
	const continued = openString === undefined && text.trimEnd().endsWith('\\') && !text.trimStart().startsWith('#');
	return { depth, openString, continued };
}
