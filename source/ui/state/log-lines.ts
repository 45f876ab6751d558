/** The board's output as a bounded list of lines: chunks arrive split anywhere, lines are kept whole. */

/** A bounded line buffer. */
export type LogLines = {
	/** Adds a chunk; returns the complete lines now kept (a new array when anything changed). */
	push(text: string): readonly string[];
	lines(): readonly string[];
};

/** Creates a buffer keeping the last `maxLines` lines; an unfinished last line shows as it is. */
export function createLogLines(maxLines = 200): LogLines {
	let done: string[] = [];
	let pending = '';
	let view: readonly string[] = [];
	const rebuild = () => {
		const shown = pending.replace(/\r$/, '');
		view = shown === '' ? done : [...done.slice(done.length >= maxLines ? 1 : 0), shown];
	};
	return {
		push(text) {
			let combined = pending + text;
			// A chunk may end between the \r and the \n of one line break: hold the \r until the next chunk.
			const held = combined.endsWith('\r') ? '\r' : '';
			if (held) combined = combined.slice(0, -1);
			const parts = combined.replaceAll('\r\n', '\n').replaceAll('\r', '\n').split('\n');
			pending = (parts.pop() ?? '') + held;
			if (parts.length > 0) done = [...done, ...parts].slice(-maxLines);
			rebuild();
			return view;
		},
		lines: () => view,
	};
}
