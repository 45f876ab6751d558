import type { HeapSnapshot } from '../../heap/model.js';
import {
	cellsPerRowFor,
	clampScroll,
	fitZoom,
	labelDigitsFor,
	type MapArea,
	type MapPlan,
	planMap,
} from '../../present/map-layout.js';
import type { Zoom } from '../state/view-state.js';

/** The map as laid out in a box: the plan, the label width, the window, and the zoom that fits it all. */
export type MapGeometry = {
	/** True when the scale is the one that fits the whole heap (the user did not choose one). */
	fitted: boolean;
	areas: MapArea[];
	plan: MapPlan;
	labelDigits: number;
	windowLines: number;
	fitZoom: number;
	/** The first visible line, kept inside the map. */
	firstLine: number;
};

/** The areas of a snapshot as the map needs them. */
export function mapAreas(snapshot: HeapSnapshot | undefined): MapArea[] {
	return (snapshot?.areas ?? []).map((area) => ({ address: area.address, blocks: area.cells.length }));
}

/** Lays the snapshot's map out in its frame's inside, `innerWidth` × `innerHeight` (the layout's `mapInner`). */
export function mapGeometry(
	snapshot: HeapSnapshot | undefined,
	innerWidth: number,
	innerHeight: number,
	zoom: Zoom,
	scrollLine: number,
): MapGeometry {
	const areas = mapAreas(snapshot);
	const labelDigits = labelDigitsFor(areas, snapshot?.bytesPerBlock);
	const cellsPerRow = cellsPerRowFor(innerWidth, labelDigits + 1);
	const windowLines = Math.max(1, innerHeight);
	const fit = fitZoom(areas, cellsPerRow, windowLines);
	const plan = planMap(areas, cellsPerRow, zoom === 'fit' ? fit : zoom);
	return {
		fitted: zoom === 'fit',
		areas,
		plan,
		labelDigits,
		windowLines,
		fitZoom: fit,
		firstLine: clampScroll(scrollLine, plan.totalLines, windowLines),
	};
}
