/** Number formatting shared by every printer and the TUI: always with the unit, grouped by thousands. */

/** `187168` → `187,168`. By hand: `Intl.NumberFormat` loads ICU, 25 ms of every `--once` start. */
export function formatCount(value: number): string {
	// A figure that is no number (a limit of 0 divided by, a damaged reading) is said to be unknown, never
	// grouped as if it were digits: `Infinity` once printed as `In,fin,ity`.
	if (!Number.isFinite(value)) return 'unknown';
	const digits = Math.abs(Math.round(value)).toString();
	let grouped = '';
	for (let end = digits.length; end > 0; end -= 3) {
		const start = Math.max(0, end - 3);
		grouped = grouped.length === 0 ? digits.slice(start, end) : `${digits.slice(start, end)},${grouped}`;
	}
	return value < 0 ? `-${grouped}` : grouped;
}

/**
 * `187168` → `187,168 B`: the one wording of a size, on the screen and in every command's output (a test holds
 * the sources to it). Bytes stay exact: the figures are compared with the board's own.
 */
export function formatBytes(bytes: number): string {
	if (!Number.isFinite(bytes)) return 'unknown';
	return `${formatCount(bytes)} B`;
}

/** `0.0041` → `0.4 %`. */
export function formatPercent(fraction: number): string {
	if (!Number.isFinite(fraction)) return 'unknown %';
	return `${(fraction * 100).toFixed(1)} %`;
}

/** Blocks with their bytes beside them: `11,650 blocks (186,400 B)`; blocks alone when the size is unknown. */
export function formatBlocks(blocks: number, bytesPerBlock: number | undefined): string {
	const count = `${formatCount(blocks)} ${blocks === 1 ? 'block' : 'blocks'}`;
	return bytesPerBlock === undefined ? count : `${count} (${formatBytes(blocks * bytesPerBlock)})`;
}

/** A block offset as the row label of an 8-digit dump: `0x400` → `00000400`. */
export function formatOffset(bytes: number): string {
	return bytes.toString(16).padStart(8, '0');
}
