/**
 * Leak or garbage: what the readings taken after collects say about the heap's growth. A collect frees all
 * garbage, so what it leaves is what the program keeps. If that climbs collect after collect, the program
 * keeps more and more (a leak); if it stays flat, the program's memory is steady and whatever else is used
 * at any moment is garbage that the next collect frees.
 */

/** What the verdict needs of a reading: its used bytes, and whether a collect came just before it. */
export type VerdictReading = { usedBytes: number; afterCollect: boolean };

/** The verdict, as figures; the words are the printers' and the screen's. */
export type Verdict =
	/** Fewer after-collect readings than `minimumCollects`: too early to tell. */
	| { kind: 'too-few'; collects: number; needed: number }
	/** Used after collect grew at each of the last `collects` collects, by `perCollectBytes` on average. */
	| { kind: 'leak'; collects: number; perCollectBytes: number; grownBytes: number }
	/** Used after collect rose over the window, but not at every collect: probably a leak. */
	| { kind: 'growing'; collects: number; perCollectBytes: number; grownBytes: number }
	/**
	 * Used after collect stayed within `toleranceBytes` over `collects` collects. `garbageBytes` is what a
	 * collect would free now (the latest reading was not after a collect) or had just freed (it was).
	 */
	| {
			kind: 'garbage';
			collects: number;
			spreadBytes: number;
			garbageBytes?: number;
			garbageWhen?: 'now' | 'last-collect';
	  }
	/** Neither flat nor climbing: it went up and down by more than the tolerance. */
	| { kind: 'unsteady'; collects: number; lowestBytes: number; highestBytes: number };

/** After-collect readings needed for any verdict. */
export const minimumCollects = 3;
/** A change within this is no change: one block of 16 B moves with the REPL's own allocations. */
export const toleranceBytes = 16;
/** The verdict looks at the last this many after-collect readings. */
export const verdictWindow = 10;

/** The verdict on a series of readings, oldest first; only those after a collect count, and the last one. */
export function leakVerdict(readings: readonly VerdictReading[]): Verdict {
	const collected: number[] = [];
	for (const reading of readings) if (reading.afterCollect) collected.push(reading.usedBytes);
	const window = collected.slice(-verdictWindow);
	if (window.length < minimumCollects) {
		return { kind: 'too-few', collects: collected.length, needed: minimumCollects };
	}
	const first = window[0] ?? 0;
	const last = window[window.length - 1] ?? 0;

	// How many collects in a row, ending at the latest, each left more than the one before.
	let rising = 0;
	for (let index = window.length - 1; index > 0; index--) {
		if ((window[index] ?? 0) > (window[index - 1] ?? 0)) rising++;
		else break;
	}
	if (rising >= minimumCollects - 1) {
		const grownBytes = last - (window[window.length - 1 - rising] ?? last);
		if (grownBytes > toleranceBytes) {
			return { kind: 'leak', collects: rising, perCollectBytes: grownBytes / rising, grownBytes };
		}
	}

	const lowest = Math.min(...window);
	const highest = Math.max(...window);
	if (highest - lowest <= toleranceBytes) {
		const verdict: Verdict = { kind: 'garbage', collects: window.length, spreadBytes: highest - lowest };
		const latest = readings[readings.length - 1];
		const before = readings[readings.length - 2];
		if (latest && !latest.afterCollect) {
			verdict.garbageBytes = Math.max(0, latest.usedBytes - last);
			verdict.garbageWhen = 'now';
		} else if (latest && before && !before.afterCollect) {
			verdict.garbageBytes = Math.max(0, before.usedBytes - latest.usedBytes);
			verdict.garbageWhen = 'last-collect';
		}
		return verdict;
	}

	const grownBytes = last - first;
	// Up more than down, and by more than a block per collect on average: a leak that some collects hide.
	if (grownBytes > toleranceBytes * (window.length - 1) && last === highest) {
		return {
			kind: 'growing',
			collects: window.length - 1,
			perCollectBytes: grownBytes / (window.length - 1),
			grownBytes,
		};
	}
	return { kind: 'unsteady', collects: window.length, lowestBytes: lowest, highestBytes: highest };
}
