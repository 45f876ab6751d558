/** Number formatting shared by every printer and the TUI: always with the unit, grouped by thousands. */

const grouping = new Intl.NumberFormat('en-US');

/** `187168` → `187,168`. */
export function formatCount(value: number): string {
	return grouping.format(value);
}

/** `187168` → `187,168 B`. Bytes stay exact: the figures are compared with the board's own. */
export function formatBytes(bytes: number): string {
	return `${grouping.format(bytes)} B`;
}

/** `196608` → `192 KiB`, for headers where the exact figure is shown elsewhere. */
export function formatSize(bytes: number): string {
	if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
	if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(1))} KiB`;
	return `${bytes} B`;
}

/** `0.0041` → `0.4 %`. */
export function formatPercent(fraction: number): string {
	return `${(fraction * 100).toFixed(1)} %`;
}

/** Blocks with their bytes beside them: `11,650 blocks (186,400 B)`; blocks alone when the size is unknown. */
export function formatBlocks(blocks: number, bytesPerBlock: number | undefined): string {
	const count = `${grouping.format(blocks)} ${blocks === 1 ? 'block' : 'blocks'}`;
	return bytesPerBlock === undefined ? count : `${count} (${formatBytes(blocks * bytesPerBlock)})`;
}

/** A block offset as the row label of an 8-digit dump: `0x400` → `00000400`. */
export function formatOffset(bytes: number): string {
	return bytes.toString(16).padStart(8, '0');
}
