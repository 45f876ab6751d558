import { parseAllMemInfo } from '../../source/heap/parse.js';
import type {
	HeapSource,
	Reading,
	ReadOutcome,
	ScenarioControls,
	SourceEvent,
	SourceStatus,
	StartOutcome,
} from '../../source/sources/source.js';
import { readMemInfoFixture } from './fixtures.js';

/** A HeapSource for tests, replaying real dumps: each read takes the next dump (the last one repeats). */
export type FixtureSource = HeapSource & {
	/** Sends an event as a real source would. */
	emit(event: SourceEvent): void;
	/** Every read asked for, in order. */
	readonly reads: { collect: boolean }[];
	closed: number;
	started: number;
};

/** Options: the dumps (in order), what `describe` says, the status after start, demo controls. */
export type FixtureSourceOptions = {
	fixture: string;
	description?: string;
	status?: SourceStatus;
	canRead?: boolean;
	scenario?: ScenarioControls;
	/** The clock for readings' `atMs`. */
	now?: () => number;
	/** Take the first reading on start, as the emulator and the board do. */
	readOnStart?: boolean;
};

/** Creates a fixture source from a file in test/fixtures/mem_info. */
export function createFixtureSource(options: FixtureSourceOptions): FixtureSource {
	const snapshots = parseAllMemInfo(readMemInfoFixture(options.fixture));
	if (snapshots.length === 0) throw new Error(`${options.fixture} holds no dump`);
	const listeners = new Set<(event: SourceEvent) => void>();
	let next = 0;
	const now = options.now ?? Date.now;
	const source: FixtureSource = {
		reads: [],
		closed: 0,
		started: 0,
		describe: () => options.description ?? `fixture ${options.fixture}`,
		canRead: options.canRead ?? true,
		...(options.scenario ? { scenario: options.scenario } : {}),
		emit(event) {
			for (const listener of listeners) listener(event);
		},
		subscribe(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		async start(): Promise<StartOutcome> {
			source.started++;
			source.emit({ type: 'status', status: options.status ?? 'live' });
			if (options.readOnStart ?? true) await source.read({ collect: false });
			return { ok: true };
		},
		async read({ collect }): Promise<ReadOutcome> {
			source.reads.push({ collect });
			const snapshot = snapshots[Math.min(next, snapshots.length - 1)];
			next++;
			if (!snapshot) return { ok: false, problem: { kind: 'failed', message: 'no more fixture snapshots' } };
			const reading: Reading = { snapshot, atMs: now(), afterCollect: collect };
			source.emit({ type: 'reading', reading });
			return { ok: true, reading };
		},
		async close() {
			source.closed++;
		},
	};
	return source;
}
