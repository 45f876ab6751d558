import { analyzeSnapshot, type HeapMetrics } from '../../heap/analyze.js';
import type { HeapSnapshot } from '../../heap/model.js';

const metricsCache = new WeakMap<HeapSnapshot, HeapMetrics>();

/** The snapshot's metrics, worked out once per snapshot (the layout, the panels and the reducer all ask). */
export function metricsOf(snapshot: HeapSnapshot): HeapMetrics {
	let metrics = metricsCache.get(snapshot);
	if (!metrics) {
		metrics = analyzeSnapshot(snapshot);
		metricsCache.set(snapshot, metrics);
	}
	return metrics;
}
