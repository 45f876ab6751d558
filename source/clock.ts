/**
 * Monotonic milliseconds, as `performance.now()` gives them but without it: on Node 20 the first use of the
 * global `performance` loads `perf_hooks`, about 2 ms of a `--once --port` run that needs nothing else of it.
 */
export function monotonicMs(): number {
	return Number(process.hrtime.bigint()) / 1e6;
}
