/** Number formatting shared by every printer and the TUI: always with the unit, grouped by thousands. */

/** `187168` → `187,168`. By hand: `Intl.NumberFormat` loads ICU, 25 ms of every `--once` start. */
export function formatCount(value: number): string {
	const digits = Math.abs(Math.round(value)).toString();
	let grouped = '';
	for (let end = digits.length; end > 0; end -= 3) {
		const start = Math.max(0, end - 3);
		grouped = grouped.length === 0 ? digits.slice(start, end) : `${digits.slice(start, end)},${grouped}`;
	}
	return value < 0 ? `-${grouped}` : grouped;
}

/** `187168` → `187,168 B`. Bytes stay exact: the figures are compared with the board's own. */
export function formatBytes(bytes: number): string {
	return `${formatCount(bytes)} B`;
}

/** `196608` → `192 KiB`, `100000` → `97.7 KiB`, `9000` → `9,000 B`: a size for headers, where the exact figure is shown elsewhere. */
export function formatSize(bytes: number): string {
	const mebibytes = bytes / (1024 * 1024);
	if (mebibytes >= 1) return `${Number(mebibytes.toFixed(1))} MiB`;
	const kibibytes = bytes / 1024;
	if (kibibytes >= 10) return `${Number(kibibytes.toFixed(1))} KiB`;
	return formatBytes(bytes);
}

/** `0.0041` → `0.4 %`. */
export function formatPercent(fraction: number): string {
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
