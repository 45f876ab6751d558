/**
 * The recording format of `--record FILE`: one JSON object per line, appended and flushed as each reading
 * arrives, so that a killed heaptop loses at most a torn last line. Pure: encoding and decoding only.
 */

/** One recorded reading: the dump's raw text, so that a later heaptop re-parses it with its own parser. */
export type RecordedReading = {
	/** Format version, for readers of old recordings. */
	v: 1;
	/** When the dump was read, ms since the epoch. */
	atMs: number;
	/** The source's one-line description. */
	source: string;
	afterCollect: boolean;
	/** The dump as the firmware printed it. */
	text: string;
	incomplete?: boolean;
};

/** A line that could not be read back, with its 1-based number. */
export type SkippedLine = { line: number; reason: string };

// Characters JSON may hold raw but a terminal would act on, or that would reorder what is read, when someone
// looks at a recording with cat or less: written as \u escapes, which read back as the same text.
const ESCAPED = /[\u007f-\u009f\p{Cf}\p{Zl}\p{Zp}]/gu;

/** One reading as one line, newline included. */
export function encodeReading(reading: RecordedReading): string {
	const json = JSON.stringify(reading).replace(
		ESCAPED,
		// Per UTF-16 unit: an astral format character (a tag) becomes its surrogate pair of escapes.
		(char) =>
			Array.from(
				{ length: char.length },
				(_, index) => `\\u${char.charCodeAt(index).toString(16).padStart(4, '0')}`,
			).join(''),
	);
	return `${json}\n`;
}

/** The format version this heaptop writes and reads. */
export const FORMAT_VERSION = 1;

function isRecordedReading(value: unknown): value is RecordedReading {
	if (typeof value !== 'object' || value === null) return false;
	const record = value as Record<string, unknown>;
	return (
		record.v === 1 &&
		typeof record.atMs === 'number' &&
		typeof record.source === 'string' &&
		typeof record.afterCollect === 'boolean' &&
		typeof record.text === 'string'
	);
}

/** One line read back: the reading, or why it is not one. */
export type DecodedLine =
	| { ok: true; reading: RecordedReading }
	/** `newerVersion`: the line is a reading in a format newer than this heaptop reads. */
	| { ok: false; reason: string; newerVersion?: number };

/**
 * Reads one line of a recording back (without its newline). `isLast` says the line had no newline after it,
 * which is what a killed recorder leaves behind. Never throws. Blank lines are the caller's to pass over.
 */
export function decodeRecordingLine(line: string, isLast: boolean): DecodedLine {
	// A byte-order mark, which an editor on Windows puts before the first line, is no part of the JSON.
	const body = line.charCodeAt(0) === 0xfeff ? line.slice(1) : line;
	// A reading is an object: any other line is none, told without the cost of a failed parse (a console log
	// of millions of lines, given to replay by mistake, took 85 s that way).
	if (body.trimStart()[0] !== '{') return { ok: false, reason: 'not a heaptop reading' };
	try {
		const value: unknown = JSON.parse(body);
		if (isRecordedReading(value)) return { ok: true, reading: value };
		const version = typeof value === 'object' && value !== null ? (value as Record<string, unknown>).v : undefined;
		if (typeof version === 'number' && version > FORMAT_VERSION) {
			return {
				ok: false,
				reason: `written by a newer heaptop (format v${version}; this one reads v${FORMAT_VERSION})`,
				newerVersion: version,
			};
		}
		return { ok: false, reason: 'not a heaptop reading' };
	} catch {
		return { ok: false, reason: isLast ? 'torn last line (heaptop was stopped while writing)' : 'not JSON' };
	}
}

/** Reads a recording back. Never throws: a torn or foreign line is skipped and reported. */
export function decodeRecording(text: string): { readings: RecordedReading[]; skipped: SkippedLine[] } {
	const readings: RecordedReading[] = [];
	const skipped: SkippedLine[] = [];
	const lines = text.split('\n');
	lines.forEach((line, index) => {
		if (line.trim().length === 0) return;
		const decoded = decodeRecordingLine(line, index === lines.length - 1);
		if (decoded.ok) readings.push(decoded.reading);
		else skipped.push({ line: index + 1, reason: decoded.reason });
	});
	return { readings, skipped };
}
