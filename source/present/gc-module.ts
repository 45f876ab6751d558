import type { HeapSnapshot } from '../heap/model.js';

/**
 * Words for a reading made from the `gc` module alone (`HeapSnapshot.gcModuleOnly`): a firmware without
 * micropython.mem_info says so by name, not as a dump printed without its argument, and a heap that grows says
 * that its "total" is the most it can reach.
 */

/** Why there is no block map, for the map's place on the screen and in `--once`. */
export function noMapText(snapshot: HeapSnapshot): string {
	const only = snapshot.gcModuleOnly;
	if (!only) return 'this dump has only the summary lines (mem_info() without an argument)';
	if (only.firmware === 'circuitpython') {
		return 'CircuitPython has no micropython.mem_info: no block map, figures from gc.mem_alloc() and gc.mem_free()';
	}
	return 'this build has no micropython.mem_info (a minimal build): no block map, figures from gc.mem_alloc() and gc.mem_free()';
}

/** The name of `gc.totalBytes`: `total`, or `can reach` where gc.mem_free() counts what the heap can still grow by. */
export function totalName(snapshot: HeapSnapshot): string {
	return snapshot.gcModuleOnly?.mayGrow ? 'can reach' : 'total';
}
