import type { HeapSnapshot } from '../../heap/model.js';
import type { ViewState } from '../state/view-state.js';
import { panelNaturalWidth } from '../text/panels.js';
import { type MapGeometry, mapGeometry } from './map-geometry.js';
import { metricsOf } from './metrics.js';
import { layoutScreen, type ScreenLayout } from './screen-layout.js';

/** What the screen's geometry depends on besides the view. */
export type FrameWorld = {
	snapshot: HeapSnapshot | undefined;
	columns: number;
	rows: number;
	captionLines: number;
	legendLines: number;
};

/** The screen's parts and the map's plan for a view: the one place both are worked out (reducer and screen). */
export type FrameGeometry = { layout: ScreenLayout; geometry: MapGeometry };

const cache = new WeakMap<object, { key: string; value: FrameGeometry }>();

/**
 * Lays out the screen and the map for a view. The reducer needs it (a zoom keeps the top row's blocks in
 * view, a page is a window) and so does the screen; both get the same answer, memoised per snapshot.
 */
export function frameGeometry(view: ViewState, world: FrameWorld): FrameGeometry {
	const key = `${world.columns}x${world.rows}:${world.captionLines}:${world.legendLines}:${view.legend}:${view.log}:${view.zoom}:${view.scrollLine}`;
	const holder = world.snapshot ?? cache;
	const cached = cache.get(holder);
	if (cached && cached.key === key) return cached.value;
	const layout = layoutScreen({
		columns: world.columns,
		rows: world.rows,
		legend: view.legend,
		log: view.log,
		captionLines: world.captionLines,
		legendLines: world.legendLines,
		panelWantsWidth: panelNaturalWidth(world.snapshot, world.snapshot ? metricsOf(world.snapshot) : undefined),
	});
	const geometry = mapGeometry(
		world.snapshot,
		layout.mapInner.width,
		layout.mapInner.height,
		view.zoom,
		view.scrollLine,
	);
	const value = { layout, geometry };
	cache.set(holder, { key, value });
	return value;
}
