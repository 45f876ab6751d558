import type { HeapSnapshot } from '../../heap/model.js';
import type { MapHighlight } from '../../present/map-marks.js';

/**
 * The marks a command can turn on over the map, by id: a command adds `{ id, value }` to the view's
 * `markers` (see `toggleMarker`), and the screen draws what the maker here returns for the snapshot shown,
 * with its legend entry. `value` is what the command asked for (a size, for "will N bytes fit?").
 */
export type MarkerMaker = (snapshot: HeapSnapshot, value: number | undefined) => MapHighlight | undefined;

/** The makers, by marker id. */
export const MAP_MARKERS: Record<string, MarkerMaker> = {};
