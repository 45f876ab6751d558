/**
 * Where everything goes on a terminal of a given size, decided without React so that it can be tested at
 * every size. The design size is 80×24; below 60×16 there is only a "too small" screen.
 */

/** The narrowest terminal heaptop draws its screen in. */
export const MIN_COLUMNS = 60;
/** The shortest terminal heaptop draws its screen in. */
export const MIN_ROWS = 16;

/** The side panels are never narrower than this (the stack bar needs it), nor wider than `PANEL_MAX`. */
const PANEL_MIN = 26;
const PANEL_MAX = 44;
/** The map box keeps at least this many columns. */
const MAP_MIN = 34;

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
	/** Width the side panels need to show every value next to its label (see `panelNaturalWidth`). */
	panelWantsWidth: number;
};

/** A rectangle of the screen: 0-based row and column of its top left, and its size. */
export type Rect = { row: number; column: number; width: number; height: number };

/** A frame's border and padding: one line above and below, a border and a space on each side. */
export const FRAME_TOP = 1;
export const FRAME_LEFT = 2;

/** The inside of a frame of `width` × `height` whose top left is at `row`, `column`. */
export function frameInside(row: number, column: number, width: number, height: number): Rect {
	return {
		row: row + FRAME_TOP,
		column: column + FRAME_LEFT,
		width: Math.max(0, width - 2 * FRAME_LEFT),
		height: Math.max(0, height - 2 * FRAME_TOP),
	};
}

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
	legendLines: number;
	historyLines: number;
	logLines: number;
	/**
	 * Where the map's cells and row labels go: the inside of its frame, on the screen. The map's geometry
	 * and the frame writer's overlay both read it from here.
	 */
	mapInner: Rect;
};

/** Lays the screen out. Every part's height is fixed here, so no line ever wraps or pushes another. */
export function layoutScreen(input: LayoutInput): ScreenLayout {
	const { columns, rows } = input;
	const lines = rows;
	const tooSmall = columns < MIN_COLUMNS || rows < MIN_ROWS;
	// The panels get their natural width (values next to their labels, not stretched across the screen),
	// and the map all the rest: its rows are as wide as the terminal allows.
	const panelWidth = Math.max(PANEL_MIN, Math.min(PANEL_MAX, input.panelWantsWidth, columns - MAP_MIN));
	const mapWidth = columns - panelWidth;
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
		// The header, then the caption, then the body whose first box is the map.
		mapInner: frameInside(1 + captionLines, 0, mapWidth, Math.max(3, remaining)),
		panelWidth,
		legendLines,
		historyLines,
		logLines,
	};
}

/** The side column's boxes, top to bottom, in lines (borders included); 0 for a box left out. */
export type SidePanels = { gcLines: number; stackLines: number; freeRunsLines: number; kindsLines: number };

/**
 * Shares the body's height among the side boxes: the GC panel first (its most telling rows, the largest free
 * run and fragmentation, are the last it gives up, see `gcPanelLines`), the stack bar's three lines, then the
 * free runs, and on a tall screen the objects by kind under them.
 */
export function sidePanels(bodyLines: number, gcWantsLines: number): SidePanels {
	const stackLines = 3;
	const gcLines = Math.max(3, Math.min(gcWantsLines, bodyLines - stackLines));
	const spare = bodyLines - gcLines - stackLines;
	const kindsLines = spare >= 24 ? Math.floor(spare / 2) : 0;
	const freeRunsLines = spare >= 4 ? spare - kindsLines : 0;
	return { gcLines, stackLines, freeRunsLines, kindsLines };
}
