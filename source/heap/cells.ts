/**
 * A heap area's block map, one letter per block, kept as segments: the printed rows as text, and each
 * elision line (`(N lines all free)`) as one run of `.`. An elision therefore costs the same whatever its
 * count, so a dump claiming 2^30 free rows is read, counted and printed without building a string of 2^36
 * letters. Read it as a string for short windows (`slice`, `charCodeAt`), and with `forEachRun` or
 * `repeatEnd` for whole-map walks, so that an elided run is taken in one step.
 */

/** Printed cells, or one letter repeated `count` times. */
export type CellSegment = { text: string } | { code: number; count: number };

/** What readers of a map need; a plain string is one too, which keeps small tests and helpers simple. */
export type CellText = {
	readonly length: number;
	charCodeAt(index: number): number;
	slice(start?: number, end?: number): string;
};

const FREE = 0x2e; // '.'

export class Cells implements CellText {
	readonly length: number;
	readonly segments: readonly CellSegment[];
	/** First block of each segment, for the search that `charCodeAt` starts from its last hit. */
	readonly #starts: number[];
	/** The segment of the last lookup: sequential reads stay in it, so they cost O(1) each. */
	#cursor = 0;

	constructor(segments: readonly CellSegment[]) {
		const kept: CellSegment[] = [];
		const starts: number[] = [];
		let length = 0;
		for (const segment of segments) {
			const count = 'text' in segment ? segment.text.length : segment.count;
			if (count <= 0) continue;
			kept.push(segment);
			starts.push(length);
			length += count;
		}
		this.segments = kept;
		this.#starts = starts;
		this.length = length;
	}

	/** One string of printed cells. */
	static of(text: string): Cells {
		return new Cells([{ text }]);
	}

	/** The segment holding `index` (which must be in range). */
	#segmentAt(index: number): number {
		const starts = this.#starts;
		let at = this.#cursor;
		const start = starts[at] ?? 0;
		const next = starts[at + 1] ?? this.length;
		if (index >= start && index < next) return at;
		if (index >= next && index < (starts[at + 2] ?? this.length)) {
			this.#cursor = at + 1;
			return at + 1;
		}
		let low = 0;
		let high = starts.length - 1;
		while (low < high) {
			const middle = (low + high + 1) >> 1;
			if ((starts[middle] ?? 0) <= index) low = middle;
			else high = middle - 1;
		}
		at = low;
		this.#cursor = at;
		return at;
	}

	/** The letter code of block `index`; NaN outside the map, as a string's. */
	charCodeAt(index: number): number {
		if (!(index >= 0 && index < this.length)) return Number.NaN;
		const at = this.#segmentAt(index);
		const segment = this.segments[at];
		if (segment === undefined) return Number.NaN;
		const offset = index - (this.#starts[at] ?? 0);
		return 'text' in segment ? segment.text.charCodeAt(Math.floor(offset)) : segment.code;
	}

	/** Blocks `start` to `end` as letters. The caller keeps the window short: a row, a screen. */
	slice(start = 0, end = this.length): string {
		const from = Math.max(0, Math.min(this.length, Math.floor(start)));
		const to = Math.max(from, Math.min(this.length, Math.floor(end)));
		let out = '';
		let index = from;
		while (index < to) {
			const at = this.#segmentAt(index);
			const segment = this.segments[at];
			const segmentStart = this.#starts[at] ?? 0;
			if (segment === undefined) break;
			const segmentEnd = segmentStart + ('text' in segment ? segment.text.length : segment.count);
			const stop = Math.min(to, segmentEnd);
			out +=
				'text' in segment
					? segment.text.slice(index - segmentStart, stop - segmentStart)
					: String.fromCharCode(segment.code).repeat(stop - index);
			index = stop;
		}
		return out;
	}

	/**
	 * Where the repeated run holding block `index` ends (exclusive), so a walk can take it whole; `index + 1`
	 * for a printed cell, which is read one at a time.
	 */
	repeatEnd(index: number): number {
		if (!(index >= 0 && index < this.length)) return index + 1;
		const at = this.#segmentAt(index);
		const segment = this.segments[at];
		if (segment === undefined || 'text' in segment) return index + 1;
		return (this.#starts[at] ?? 0) + segment.count;
	}

	/** Calls `visit` for each maximal run of one letter, in order; runs join across segments. */
	forEachRun(visit: (code: number, count: number) => void): void {
		let runCode = -1;
		let runCount = 0;
		for (const segment of this.segments) {
			if (!('text' in segment)) {
				if (segment.code === runCode) runCount += segment.count;
				else {
					if (runCount > 0) visit(runCode, runCount);
					runCode = segment.code;
					runCount = segment.count;
				}
				continue;
			}
			const text = segment.text;
			for (let index = 0; index < text.length; ) {
				const code = text.charCodeAt(index);
				let end = index + 1;
				while (end < text.length && text.charCodeAt(end) === code) end++;
				if (code === runCode) runCount += end - index;
				else {
					if (runCount > 0) visit(runCode, runCount);
					runCode = code;
					runCount = end - index;
				}
				index = end;
			}
		}
		if (runCount > 0) visit(runCode, runCount);
	}

	/**
	 * Calls `visit` for each run of one letter from block `start` to `end` (exclusive), in order: an elided run
	 * in one call, printed cells in runs of equal letters. Runs are not joined across segments.
	 */
	forEachRunIn(start: number, end: number, visit: (code: number, count: number) => void): void {
		const from = Math.max(0, Math.floor(start));
		const to = Math.min(this.length, Math.floor(end));
		if (from >= to) return;
		let at = this.#segmentAt(from);
		let index = from;
		while (index < to) {
			const segment = this.segments[at];
			if (segment === undefined) return;
			const segmentStart = this.#starts[at] ?? 0;
			if ('text' in segment) {
				const text = segment.text;
				const stop = Math.min(to, segmentStart + text.length) - segmentStart;
				let offset = index - segmentStart;
				while (offset < stop) {
					const code = text.charCodeAt(offset);
					let runEnd = offset + 1;
					while (runEnd < stop && text.charCodeAt(runEnd) === code) runEnd++;
					visit(code, runEnd - offset);
					offset = runEnd;
				}
				index = segmentStart + stop;
			} else {
				const stop = Math.min(to, segmentStart + segment.count);
				visit(segment.code, stop - index);
				index = stop;
			}
			at++;
		}
	}

	/** True when every block is free. */
	isAllFree(): boolean {
		return this.segments.every((segment) => ('text' in segment ? /^\.*$/.test(segment.text) : segment.code === FREE));
	}
}

/** The index where the run of one repeated letter at `index` ends, for any `CellText`; `index + 1` for text. */
export function repeatEndOf(cells: CellText, index: number): number {
	return cells instanceof Cells ? cells.repeatEnd(index) : index + 1;
}

/** Collects an area's rows as they are read: consecutive printed rows are joined once, elisions kept as runs. */
export class CellsBuilder {
	#segments: CellSegment[] = [];
	#rows: string[] = [];

	/** A printed row's cells. */
	addText(text: string): void {
		if (text.length > 0) this.#rows.push(text);
	}

	/** `count` blocks of one letter (an elision). */
	addRepeat(code: number, count: number): void {
		if (count <= 0) return;
		this.#flush();
		const at = this.#segments.length - 1;
		const last = this.#segments[at];
		// A new segment object, never a changed one: Cells built earlier (a partial map) share the old.
		if (last !== undefined && !('text' in last) && last.code === code)
			this.#segments[at] = { code, count: last.count + count };
		else this.#segments.push({ code, count });
	}

	#flush(): void {
		if (this.#rows.length === 0) return;
		this.#segments.push({ text: this.#rows.join('') });
		this.#rows = [];
	}

	/**
	 * The cells so far. The builder is left as it was, so it can be built again while rows still come (a dump
	 * read as it streams in): the rows since the last elision are joined for this copy only.
	 */
	build(): Cells {
		if (this.#rows.length === 0) return new Cells(this.#segments);
		return new Cells([...this.#segments, { text: this.#rows.join('') }]);
	}
}
