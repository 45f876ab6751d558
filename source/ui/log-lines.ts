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
		view = pending === '' ? done : [...done.slice(done.length >= maxLines ? 1 : 0), pending];
	};
	return {
		push(text) {
			const parts = (pending + text.replaceAll('\r\n', '\n').replaceAll('\r', '\n')).split('\n');
			pending = parts.pop() ?? '';
			if (parts.length > 0) done = [...done, ...parts].slice(-maxLines);
			rebuild();
			return view;
		},
		lines: () => view,
	};
}
