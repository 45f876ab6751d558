import { parseAllMemInfo } from '../heap/parse.js';
import { createSanitizer, type Sanitizer } from '../protocol/sanitize.js';
import { findScenario, type Scenario, scenarios } from '../scenarios/index.js';
import { picoHeapBytes } from './heap-size.js';
import { type ExecResult, loadVm, type MicroPythonVm, type PythonException, type VmStream } from './micropython-vm.js';
import { type DumpAnswer, takeSnapshot } from './snapshot-policy.js';
import type {
	HeapSource,
	ReadOutcome,
	ScenarioControls,
	ScenarioStep,
	SourceEvent,
	SourceStatus,
	StartOutcome,
} from './source.js';

/** How to build the emulated board. */
export type EmulatorOptions = {
	/** Heap handed to the VM; the default gives the Raspberry Pi Pico's `GC: total: 192064`. */
	heapBytes?: number;
	/** Let the heap grow by new areas as the port does in a browser, instead of a fixed-size board. */
	growable?: boolean;
	/**
	 * The scenario to run, by name (`fragmentation`, …); `false` for a plain board that runs only what `exec`
	 * is given. Default: the first scenario.
	 */
	scenario?: string | false;
	/** Clock for `Reading.atMs`; the wall clock by default. */
	clock?: () => number;
};

/** The emulated board: a `HeapSource`, plus running Python of one's own on it. */
export type EmulatorSource = HeapSource & {
	/**
	 * Runs `code` in `__main__` and reports it as a scenario step would: its output as `output` events, dumps it
	 * printed as `reading` events, an uncaught exception as its traceback on stderr plus a `problem`.
	 */
	exec(code: string): Promise<ExecResult>;
};

/** Why an emulator could not be made; one line for users. */
export class EmulatorError extends Error {
	override name = 'EmulatorError';
}

/** The names of the built-in scenarios, in order, for `--demo --list` and for flag validation. */
export function listScenarios(): { name: string; title: string; summary: string }[] {
	return scenarios.map(({ name, title, summary }) => ({ name, title, summary }));
}

/** The last line of a traceback: `MemoryError: memory allocation failed, allocating 10240 bytes`. */
export function exceptionLine(exception: PythonException): string {
	const lines = exception.traceback.trimEnd().split('\n');
	return lines[lines.length - 1] || exception.type;
}

/** `MicroPython v1.27.0` out of `3.4.0; MicroPython v1.27.0 on 2025-12-10`. */
function firmwareName(version: string): string {
	const match = /MicroPython (v[\d.]+)/.exec(version);
	return match ? `MicroPython ${match[1]}` : 'MicroPython';
}

/**
 * Creates the emulated board: the real MicroPython VM in WebAssembly with a board-sized, fixed heap, running a
 * built-in scenario step by step (or nothing, for `exec`). Nothing happens until `start()`.
 */
export function createEmulatorSource(options: EmulatorOptions = {}): EmulatorSource {
	const heapBytes = options.heapBytes ?? picoHeapBytes;
	const growable = options.growable ?? false;
	const clock = options.clock ?? Date.now;
	const requested = options.scenario ?? scenarios[0]?.name ?? false;
	let scenario: Scenario | undefined;
	if (requested !== false) {
		scenario = findScenario(requested);
		if (!scenario) {
			const names = scenarios.map((s) => s.name).join(', ');
			throw new EmulatorError(`there is no scenario called "${requested}"; the scenarios are ${names}`);
		}
	}

	const listeners = new Set<(event: SourceEvent) => void>();
	const emit = (event: SourceEvent): void => {
		for (const listener of listeners) listener(event);
	};
	let status: SourceStatus = 'connecting';
	const setStatus = (next: SourceStatus, message?: string): void => {
		status = next;
		emit(message === undefined ? { type: 'status', status: next } : { type: 'status', status: next, message });
	};

	let vm: MicroPythonVm | undefined;
	let version = 'MicroPython';
	let stepIndex = 0;
	let closed = false;
	let started: Promise<StartOutcome> | undefined;
	let bootFailure: string | undefined;
	// Output is gathered while Python runs (the VM writes a byte at a time) and sent as one event per stream.
	const sanitizers: Record<VmStream, Sanitizer> = { stdout: createSanitizer(), stderr: createSanitizer() };
	const pending: Record<VmStream, string> = { stdout: '', stderr: '' };
	const flushOutput = (): void => {
		for (const stream of ['stdout', 'stderr'] as const) {
			const text = pending[stream];
			pending[stream] = '';
			if (text !== '') emit({ type: 'output', text, stream });
		}
	};
	// Steps, reads and restarts run one after another: a key pressed twice must not interleave two steps.
	let queue: Promise<unknown> = Promise.resolve();
	const serially = <T>(work: () => Promise<T>): Promise<T> => {
		const next = queue.then(work);
		queue = next.catch(() => undefined);
		return next;
	};

	async function boot(): Promise<MicroPythonVm | undefined> {
		vm?.close();
		vm = undefined;
		try {
			vm = await loadVm({
				heapBytes,
				growable,
				onOutput: (bytes, stream) => {
					pending[stream] += sanitizers[stream].push(bytes);
				},
			});
			version = firmwareName(vm.version);
			return vm;
		} catch (error) {
			const message = error instanceof Error ? error.message : String(error);
			bootFailure = message;
			setStatus('error', message);
			emit({ type: 'problem', message });
			return undefined;
		}
	}

	/**
	 * Runs code and reports what it printed. Dumps that the program printed itself (`micropython.mem_info(1)`)
	 * become readings, as in `--listen`: a dump taken inside the program shows its garbage, which may be gone
	 * by the time it returns, since this VM collects only between runs.
	 */
	function runCode(machine: MicroPythonVm, code: string): ExecResult & { readings: number } {
		const result = machine.exec(code);
		let readings = 0;
		if (pending.stdout !== '') {
			for (const snapshot of parseAllMemInfo(pending.stdout)) {
				pending.stdout = pending.stdout.replace(`${snapshot.text}\n`, '').replace(snapshot.text, '');
				emit({ type: 'reading', reading: { snapshot, atMs: clock(), afterCollect: false } });
				readings++;
			}
		}
		flushOutput();
		if (!result.ok) {
			emit({ type: 'output', text: result.exception.traceback, stream: 'stderr' });
			emit({ type: 'problem', message: exceptionLine(result.exception) });
		}
		return { ...result, readings };
	}

	/** One `mem_info(1)` from the VM, as the snapshot policy (shared with the board) wants it. */
	async function dump(machine: MicroPythonVm, collect: boolean): Promise<DumpAnswer> {
		try {
			if (collect) machine.collect();
			return { ok: true, text: machine.memInfo() };
		} catch (error) {
			const line = error instanceof Error ? error.message : String(error);
			return /MemoryError/.test(line)
				? { ok: false, kind: 'memory', line }
				: { ok: false, kind: 'failed', message: line };
		}
	}

	async function takeReading(machine: MicroPythonVm, collect: boolean): Promise<ReadOutcome> {
		const outcome = await takeSnapshot((again) => dump(machine, again), collect, clock);
		if (!outcome.ok) {
			const message =
				outcome.problem.kind === 'unreadable'
					? `the emulator's mem_info could not be read: ${outcome.problem.message}`
					: outcome.problem.message;
			emit({ type: 'problem', message });
			return { ok: false, problem: { ...outcome.problem, message } };
		}
		emit({ type: 'reading', reading: outcome.reading });
		return { ok: true, reading: outcome.reading };
	}

	/** Runs step `index` (0-based) of the current scenario and takes its reading. */
	async function runStep(machine: MicroPythonVm, active: Scenario, index: number): Promise<void> {
		const step = active.steps[index];
		if (!step) return;
		setStatus('busy');
		const { readings } = runCode(machine, step.code);
		stepIndex = index + 1;
		setStatus('live');
		// A step that printed its own dump has shown the heap as it was inside it; after it, only a collect
		// changes what there is to see.
		if (readings === 0 || step.collect) await takeReading(machine, step.collect ?? false);
	}

	/** A fresh board for the scenario, and its first step. */
	async function restart(active: Scenario): Promise<void> {
		stepIndex = 0;
		const machine = await boot();
		if (machine && !closed) await runStep(machine, active, 0);
	}

	const current = (): ScenarioStep => {
		const active = scenario;
		if (!active) return { scenario: '', title: '', step: 0, steps: 0, caption: '' };
		const caption = stepIndex === 0 ? active.summary : (active.steps[stepIndex - 1]?.caption ?? '');
		return { scenario: active.name, title: active.title, step: stepIndex, steps: active.steps.length, caption };
	};

	const controls: ScenarioControls = {
		list: () => scenarios.map(({ name, title }) => ({ name, title })),
		current,
		next: () =>
			serially(async () => {
				const active = scenario;
				if (!active || closed) return;
				// After the last step the story starts again on a fresh board, as the interface promises.
				if (stepIndex >= active.steps.length || !vm) {
					await restart(active);
					return;
				}
				await runStep(vm, active, stepIndex);
			}),
		choose: (index) =>
			serially(async () => {
				const chosen = scenarios[index];
				if (!chosen || closed) {
					emit({ type: 'problem', message: `there is no scenario ${index + 1}; there are ${scenarios.length}` });
					return;
				}
				scenario = chosen;
				await restart(chosen);
			}),
	};

	const source: EmulatorSource = {
		identity: () => {
			const number = /MicroPython v([\d.]+)/.exec(vm?.version ?? '')?.[1];
			if (number === undefined) return undefined;
			return {
				implementation: 'micropython',
				version: number,
				machine: 'JS with Emscripten',
				platform: 'webassembly',
				link: 'emulator',
			};
		},
		// No size here: the screen words the heap's size once, as the GC total the map and the panel show
		// (192,064 B), not as the 192 KiB handed to the VM, of which the GC keeps its own tables.
		describe: () => `emulated ${version}${growable ? ' · growable heap' : ''}`,
		start: () => {
			started ??= serially(async (): Promise<StartOutcome> => {
				if (closed) return { ok: false, problem: { kind: 'closed', message: 'the emulated board is closed' } };
				setStatus('connecting');
				if (scenario) await restart(scenario);
				else {
					const machine = await boot();
					if (machine && !closed) setStatus('live');
				}
				if (vm) return { ok: true };
				return { ok: false, problem: { kind: 'failed', message: bootFailure ?? 'the emulated board did not start' } };
			});
			return started;
		},
		subscribe(listener) {
			listeners.add(listener);
			return () => {
				listeners.delete(listener);
			};
		},
		canRead: true,
		read: ({ collect }) =>
			serially(async (): Promise<ReadOutcome> => {
				if (!vm || closed) {
					const message = 'the emulated board is not running';
					emit({ type: 'problem', message });
					return { ok: false, problem: { kind: 'closed', message } };
				}
				return takeReading(vm, collect);
			}),
		exec: (code) =>
			serially(async (): Promise<ExecResult> => {
				if (!vm || closed) {
					const exception = { type: 'RuntimeError', traceback: 'RuntimeError: the emulated board is not running\n' };
					return { ok: false, exception };
				}
				setStatus('busy');
				const { readings: _, ...result } = runCode(vm, code);
				setStatus('live');
				return result;
			}),
		close: async () => {
			if (closed) return;
			closed = true;
			await queue;
			vm?.close();
			vm = undefined;
			if (status !== 'disconnected') setStatus('disconnected');
			listeners.clear();
		},
	};
	return scenario ? { ...source, scenario: controls } : source;
}
