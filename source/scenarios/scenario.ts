/**
 * A built-in demo: a short Python program, cut into steps that the emulated board runs one at a time, each
 * with a one-line caption saying what to look at on the map. Each one tells a piece of advice from the
 * MicroPython and CircuitPython memory guides.
 *
 * One rule shapes the programs: in this WebAssembly build, `gc.collect()` (and the automatic collect when an
 * allocation fails) only takes effect once the running code returns to JavaScript, because the VM cannot scan
 * WebAssembly's own stack for roots; and the VM may collect on its way out. So a step never relies on a collect
 * inside itself (one that collects says so with `collect`, and the emulator collects after it), and a step
 * that wants its garbage seen prints `micropython.mem_info(1)` at its end, which the emulator reads as a
 * reading.
 */
export type Scenario = {
	/** Short kebab-case name for `--demo NAME`. */
	name: string;
	/** A few words for lists and the header. */
	title: string;
	/** The advice, in one line: shown before the first step. */
	summary: string;
	steps: readonly ScenarioStepCode[];
};

/** One step: the Python it runs in `__main__`, and the caption shown once it has run. */
export type ScenarioStepCode = {
	caption: string;
	/** Python run in `__main__`; may be empty when the step only collects. */
	code: string;
	/** Collect after the code and before the reading, as `gc.collect()` at the end of the step would. */
	collect?: boolean;
};
