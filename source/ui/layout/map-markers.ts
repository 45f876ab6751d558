import type { HeapSnapshot } from '../../heap/model.js';
import type { MapHighlight } from '../../present/map-marks.js';
import { blockersHighlight, fitHighlight } from '../../present/why-marks.js';

/**
 * The marks a command can turn on over the map, by id: a command adds `{ id, value }` to the view's
 * `markers` (see `toggleMarker`), and the screen draws what the maker here returns for the snapshot shown,
 * with its legend entry. `value` is what the command asked for (a size, for "will N bytes fit?").
 */
export type MarkerMaker = (snapshot: HeapSnapshot, value: number | undefined) => MapHighlight | undefined;

/** The makers, by marker id. */
export const MAP_MARKERS: Record<string, MarkerMaker> = {
	// `w`: the objects that split the free memory.
	blockers: (snapshot) => blockersHighlight(snapshot),
	// `a`: where N bytes would go, or what is in the way of the cheapest place.
	fit: fitHighlight,
};
