import type { HeapSnapshot } from '../heap/model.js';
import { sanitizeText } from '../protocol/sanitize.js';
import type { HeapSource, Reading, SourceEvent } from './source.js';

/**
 * A source whose every string from outside (its description, with a board's machine and version; status
 * and problem messages; program output; a snapshot's warnings) has been put through the sanitising rule
 * before the screen sees it. The screen's frame writer applies the rule again at the terminal, where only
 * colour may pass; here nothing may, so a board cannot even colour the header.
 */
export function sanitizedSource(source: HeapSource): HeapSource {
	const clean: HeapSource = {
		describe: () => sanitizeText(source.describe()),
		start: () => source.start(),
		subscribe: (listener) => source.subscribe((event) => listener(cleanEvent(event))),
		get canRead() {
			return source.canRead;
		},
		read: async (options) => {
			const outcome = await source.read(options);
			if (outcome.ok) return { ok: true, reading: cleanReading(outcome.reading) };
			return { ok: false, problem: { ...outcome.problem, message: sanitizeText(outcome.problem.message) } };
		},
		close: () => source.close(),
	};
	if (source.scenario) Object.assign(clean, { scenario: source.scenario });
	const replay = source.replay;
	if (replay) {
		Object.assign(clean, {
			replay: {
				points: () => replay.points(),
				reading: (index: number) => cleanReading(replay.reading(index)),
				cursor: () => replay.cursor(),
				seek: (index: number) => replay.seek(index),
			},
		});
	}
	const { interrupt, probeLargestBlock, readLight } = source;
	if (readLight) clean.readLight = () => readLight.call(source);
	if (interrupt) clean.interrupt = () => interrupt.call(source);
	if (probeLargestBlock) clean.probeLargestBlock = () => probeLargestBlock.call(source);
	return clean;
}

function cleanEvent(event: SourceEvent): SourceEvent {
	switch (event.type) {
		case 'status':
			return event.message === undefined ? event : { ...event, message: sanitizeText(event.message) };
		case 'output':
			return { ...event, text: sanitizeText(event.text) };
		case 'problem':
			return { ...event, message: sanitizeText(event.message) };
		case 'reading':
			return { ...event, reading: cleanReading(event.reading) };
		case 'light':
			// Numbers only: nothing to clean.
			return event;
		case 'progress':
			return event.partial === undefined ? event : { ...event, partial: cleanSnapshot(event.partial) };
	}
}

// One clean copy per reading, so that the screen sees the same object each time it asks (its memos key on it).
const cleaned = new WeakMap<Reading, Reading>();

function cleanReading<T extends Reading | undefined>(reading: T): T {
	if (reading === undefined) return reading;
	const known = cleaned.get(reading);
	if (known) return known as T;
	const snapshot = cleanSnapshot(reading.snapshot);
	const clean = snapshot === reading.snapshot ? reading : { ...reading, snapshot };
	cleaned.set(reading, clean);
	return clean as T;
}

/** The snapshot itself when nothing in it needs the rule (the parser keeps cells to printable ASCII). */
function cleanSnapshot(snapshot: HeapSnapshot): HeapSnapshot {
	const warnings = snapshot.warnings.map(sanitizeText);
	return warnings.every((warning, index) => warning === snapshot.warnings[index])
		? snapshot
		: { ...snapshot, warnings };
}
