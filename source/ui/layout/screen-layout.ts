/**
 * Where everything goes on a terminal of a given size, decided without React so that it can be tested at
 * every size. The design size is 80×24; below 60×16 there is only a "too small" screen.
 */

/** The narrowest terminal heaptop draws its screen in. */
export const MIN_COLUMNS = 60;
/** The shortest terminal heaptop draws its screen in. */
export const MIN_ROWS = 16;

/** What the layout depends on besides the size. */
export type LayoutInput = {
	columns: number;
	rows: number;
	legend: boolean;
	log: boolean;
	/** Lines the demo's caption needs at this width; 0 when there is no caption. */
	captionLines: number;
	/** Lines the legend needs at this width (see `legendLines`). */
	legendLines: number;
	/** Width the map box needs at most: label, 64 cells, borders. */
	mapWantsWidth: number;
};

/** The sizes of each part; heights in lines, widths in columns. */
export type ScreenLayout = {
	tooSmall: boolean;
	columns: number;
	/** Lines drawn: the whole terminal (the frame writer places each line itself). */
	lines: number;
	/** Lines given to the caption: up to 2 when the terminal has the rows, else 1. */
	captionLines: number;
	bodyLines: number;
	mapWidth: number;
	panelWidth: number;
	/** The third column (kinds and free runs) when the terminal is wide enough, else 0. */
	extraWidth: number;
	legendLines: number;
	historyLines: number;
	logLines: number;
};

/** Lays the screen out. Every part's height is fixed here, so no line ever wraps or pushes another. */
export function layoutScreen(input: LayoutInput): ScreenLayout {
	const { columns, rows } = input;
	const lines = rows;
	const tooSmall = columns < MIN_COLUMNS || rows < MIN_ROWS;
	let panelWidth = columns >= 120 ? 36 : columns >= 90 ? 32 : columns >= 70 ? 30 : 26;
	let mapWidth = columns - panelWidth;
	let extraWidth = 0;
	// The map never needs more than 64 cells a row: room beyond that goes to a third column (objects by
	// kind, free runs by size) when it fits one, else to the GC panel.
	if (mapWidth > input.mapWantsWidth) {
		const spare = mapWidth - input.mapWantsWidth;
		mapWidth = input.mapWantsWidth;
		if (spare >= 34) {
			extraWidth = Math.min(60, spare);
			panelWidth += Math.min(8, spare - extraWidth);
		} else {
			panelWidth += spare;
		}
	}
	const captionLines = Math.min(input.captionLines, rows >= 22 ? 2 : 1);
	const legendLines = input.legend ? input.legendLines : 0;
	const historyLines = rows >= 20 ? 2 : 1;
	let remaining = lines - 1 /* header */ - captionLines - legendLines - historyLines - 1; /* status */
	let logLines = 0;
	if (input.log) {
		logLines = Math.max(4, Math.min(12, Math.floor(remaining / 3)));
		remaining -= logLines;
	}
	return {
		tooSmall,
		columns,
		lines,
		captionLines,
		bodyLines: Math.max(3, remaining),
		mapWidth,
		panelWidth,
		extraWidth,
		legendLines,
		historyLines,
		logLines,
	};
}
