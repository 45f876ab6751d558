/** Sparklines without React: a series of numbers to one character per point. */

/**
 * The last `width` values as sparkline characters from `levels` (lowest first). The scale runs from the
 * smallest to the largest value shown, or from 0 when `fromZero` is set; a flat series sits at the middle.
 */
export function sparkline(
	values: readonly number[],
	width: number,
	levels: readonly string[],
	fromZero = false,
	breaks?: { starts: readonly boolean[]; glyph: string },
): string {
	if (width <= 0 || values.length === 0 || levels.length === 0) return '';
	const shown = values.slice(-width);
	let low = fromZero ? 0 : Number.POSITIVE_INFINITY;
	let high = Number.NEGATIVE_INFINITY;
	for (const value of shown) {
		low = Math.min(low, value);
		high = Math.max(high, value);
	}
	const top = levels.length - 1;
	const offset = values.length - shown.length;
	let out = '';
	shown.forEach((value, index) => {
		// A new segment (the board was reset) shows as the break glyph in the column before its first point.
		if (breaks?.starts[offset + index + 1] === true) {
			out += breaks.glyph;
			return;
		}
		const level = high === low ? Math.floor(top / 2) : Math.round(((value - low) / (high - low)) * top);
		out += levels[level] ?? '';
	});
	return out;
}

/**
 * The column of `width` that the value at `index` of `count` falls in when the whole series is squeezed into
 * that width; columns are the values' own when they fit.
 */
export function columnOf(index: number, count: number, width: number): number {
	return count <= width ? index : Math.floor((index * width) / count);
}

/**
 * The whole series in at most `width` values, for a sparkline that covers all of it: when it does not fit,
 * each column stands for the values that fall in it and keeps the one `pick` says is worst (the highest
 * `used`, the lowest `largest free`), so that a spike is never averaged away.
 */
export function fitSeries(values: readonly number[], width: number, pick: 'max' | 'min'): number[] {
	if (values.length <= width) return [...values];
	if (width <= 0) return [];
	const out: number[] = [];
	values.forEach((value, index) => {
		const column = columnOf(index, values.length, width);
		const kept = out[column];
		if (kept === undefined) out[column] = value;
		else out[column] = pick === 'max' ? Math.max(kept, value) : Math.min(kept, value);
	});
	return out;
}
