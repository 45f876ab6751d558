import type { Blocker } from '../heap/blockers.js';
import type { FitAnswer, FitProblem, MapObject } from '../heap/fit.js';
import { toleranceBytes, type Verdict } from '../heap/verdict.js';
import { formatBytes, formatCount } from './format.js';
import { kindStyle } from './kinds.js';

/**
 * The answers to "why did the MemoryError happen" in the guides' own words, shared by the printers, `run`
 * and the live screen: will N bytes fit, what splits the free memory, what stays put, leak or garbage.
 * Each function returns sentences; the caller wraps them to its width.
 */

/** `0x2400`, with `area 1` in front on a heap of several areas: offsets restart in each area. */
export function placeText(area: number, offsetBytes: number, areaCount: number): string {
	const offset = `0x${offsetBytes.toString(16)}`;
	return areaCount > 1 ? `area ${area} ${offset}` : offset;
}

/** `S (str) 16 B at 0x2400`. */
export function objectText(object: MapObject, areaCount: number): string {
	return `${object.kind} (${kindStyle(object.kind).name}) ${formatBytes(object.bytes)} at ${placeText(object.area, object.offsetBytes, areaCount)}`;
}

const blocksText = (blocks: number) => `${formatCount(blocks)} ${blocks === 1 ? 'block' : 'blocks'}`;

/**
 * The answer to "will N bytes fit", as sentences: yes and where `gc_alloc` would put it, or no, why not, and
 * the cheapest place with the objects in its way. Ends with what a `bytearray(N)` costs beside its buffer.
 */
export function fitSentences(answer: FitAnswer): string[] {
	const { bytes, blocks, bytesPerBlock } = answer;
	const areaCount = answer.areas.length;
	const asked = `${formatBytes(bytes)} (${blocksText(blocks)} of ${bytesPerBlock} B)`;
	const largest = `the largest free run is ${formatBytes(answer.largestFreeBlocks * bytesPerBlock)} (${blocksText(answer.largestFreeBlocks)})`;
	const sentences: string[] = [];
	if (answer.at) {
		sentences.push(
			`${asked} fits: gc_alloc would put it at ${placeText(answer.at.area, answer.at.offsetBytes, areaCount)}, the first free run long enough.`,
		);
	} else if (answer.newArea) {
		sentences.push(
			`${asked} fits in no area of this map (${largest}), but the port would add a new heap area for it: max new split is big enough.`,
		);
	} else {
		const free = answer.areas.reduce((sum, area) => sum + area.freeBlocks, 0) * bytesPerBlock;
		sentences.push(
			`${asked} does not fit: ${formatBytes(free)} are free, but ${largest}, and one allocation needs one unbroken run.`,
		);
	}
	const cheapest = answer.cheapest;
	if (!answer.at && cheapest) {
		const objects = cheapest.objectCount;
		const listed = cheapest.objects.slice(0, 5).map((object) => objectText(object, areaCount));
		const more = objects > listed.length ? `, and ${formatCount(objects - listed.length)} more` : '';
		sentences.push(
			`It would fit at ${placeText(cheapest.area, cheapest.offsetBytes, areaCount)} but for ${formatCount(objects)} ${objects === 1 ? 'object' : 'objects'} (${formatBytes(cheapest.allocatedBytes)}): ${listed.join(', ')}${more}.`,
		);
	} else if (!answer.at) {
		const biggest = answer.areas.reduce((most, area) => Math.max(most, area.blocks), 0) * bytesPerBlock;
		sentences.push(`No area is that big: the biggest is ${formatBytes(biggest)}.`);
	}
	sentences.push(`A bytearray(${bytes}) is this buffer plus a small object of its own: one more block, anywhere.`);
	return sentences;
}

/** Why a map cannot say whether N bytes fit: the input does not tell, which is not "no". */
export function fitProblemText(problem: FitProblem): string {
	switch (problem) {
		case 'no-map':
			return 'this dump has no block map (mem_info() without an argument), so whether it fits is unknown';
		case 'no-block-size':
			return 'the block size cannot be told from this dump, so whether it fits is unknown';
		case 'map-cut-off':
			return 'no room in the part of the map there is, but the map does not cover the whole heap (cut off or damaged), so whether it fits is unknown';
		case 'not-a-size':
			return 'an allocation is a whole number of bytes, 1 or more';
	}
}

/** `S (str) 16 B at 0x2400: freeing it makes a free run of 45,008 B`. */
export function blockerText(blocker: Blocker, bytesPerBlock: number | undefined, areaCount: number): string {
	const style = kindStyle(blocker.kind);
	if (bytesPerBlock === undefined) {
		return `${blocker.kind} (${style.name}) ${blocksText(blocker.blocks)} at block ${formatCount(blocker.block)}${areaCount > 1 ? ` of area ${blocker.area}` : ''}: freeing it makes a free run of ${blocksText(blocker.mergedFreeBlocks)}`;
	}
	const place = placeText(blocker.area, blocker.block * bytesPerBlock, areaCount);
	return `${blocker.kind} (${style.name}) ${formatBytes(blocker.blocks * bytesPerBlock)} at ${place}: freeing it makes a free run of ${formatBytes(blocker.mergedFreeBlocks * bytesPerBlock)}`;
}

/** The leak-or-garbage verdict in one sentence. */
export function verdictText(verdict: Verdict): string {
	switch (verdict.kind) {
		case 'too-few':
			return `${verdict.collects} ${verdict.collects === 1 ? 'reading' : 'readings'} after a collect so far; ${verdict.needed} are needed to tell a leak from garbage`;
		case 'leak':
			return `used after collect grew ${verdict.collects} collects in a row, +${formatBytes(Math.round(verdict.perCollectBytes))} each: a leak`;
		case 'growing':
			return `used after collect rose by ${formatBytes(verdict.grownBytes)} over ${verdict.collects} collects (+${formatBytes(Math.round(verdict.perCollectBytes))} each on average), though not at every one: probably a leak`;
		case 'garbage': {
			const flat = `used after collect is flat (within ${formatBytes(toleranceBytes)}) over ${verdict.collects} collects: the rest is garbage`;
			if (verdict.garbageBytes === undefined) return flat;
			return verdict.garbageWhen === 'now'
				? `${flat}, and a gc.collect() before the big allocation would free ${formatBytes(verdict.garbageBytes)}`
				: `${flat}; the last collect freed ${formatBytes(verdict.garbageBytes)}`;
		}
		case 'unsteady':
			return `used after collect moved between ${formatBytes(verdict.lowestBytes)} and ${formatBytes(verdict.highestBytes)} over ${verdict.collects} collects: neither a steady climb nor flat`;
	}
}
