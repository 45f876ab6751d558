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
	let out = '';
	for (const value of shown) {
		const level = high === low ? Math.floor(top / 2) : Math.round(((value - low) / (high - low)) * top);
		out += levels[level] ?? '';
	}
	return out;
}
