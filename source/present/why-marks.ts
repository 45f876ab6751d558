import { findBlockers, largestFreeRunBlocks } from '../heap/blockers.js';
import { fitAllocation } from '../heap/fit.js';
import type { HeapSnapshot } from '../heap/model.js';
import { formatBytes, formatCount } from './format.js';
import type { MapHighlight } from './map-marks.js';
import { placeText } from './why.js';

/**
 * The "why" marks on the map: the blockers, and where N bytes would go (or what is in the way of the
 * cheapest place). Letters, not only colours, so that they show without colour too.
 */

/** The letter of a blocker on the map. */
export const BLOCKER_LETTER = 'X';
/** The letter of the blocks where an allocation would go. */
export const FIT_LETTER = '+';
/** The letter of the objects in the way of the cheapest place. */
export const IN_THE_WAY_LETTER = '#';

/** How many blockers the map marks. */
const MARKED_BLOCKERS = 8;

/** The objects whose removal would make a longer free run than the longest there is. */
export function blockersHighlight(snapshot: HeapSnapshot): MapHighlight | undefined {
	if (snapshot.areas.length === 0) return undefined;
	const largest = largestFreeRunBlocks(snapshot);
	const blockers = findBlockers(snapshot, MARKED_BLOCKERS).filter((blocker) => blocker.mergedFreeBlocks > largest);
	if (blockers.length === 0) return undefined;
	const top = blockers[0];
	const best =
		top && snapshot.bytesPerBlock !== undefined
			? ` (freeing one: up to ${formatBytes(top.mergedFreeBlocks * snapshot.bytesPerBlock)})`
			: '';
	return {
		id: 'blockers',
		label: `${formatCount(blockers.length)} ${blockers.length === 1 ? 'blocker' : 'blockers'}${best}`,
		letter: BLOCKER_LETTER,
		style: { fg: 'magenta', inverse: true, bold: true },
		ranges: blockers.map((blocker) => ({ areaIndex: blocker.area, firstBlock: blocker.block, blocks: blocker.blocks })),
	};
}

/** Where `bytes` would go, first fit; or, when it does not fit, the objects in the way of the cheapest place. */
export function fitHighlight(snapshot: HeapSnapshot, bytes: number | undefined): MapHighlight | undefined {
	if (bytes === undefined) return undefined;
	const result = fitAllocation(snapshot, bytes);
	if (!result.ok) return undefined;
	const { answer } = result;
	const areas = snapshot.areas.length;
	if (answer.at) {
		return {
			id: 'fit',
			label: `${formatBytes(bytes)} would go at ${placeText(answer.at.area, answer.at.offsetBytes, areas)}`,
			letter: FIT_LETTER,
			style: { fg: 'green', inverse: true, bold: true },
			ranges: [{ areaIndex: answer.at.area, firstBlock: answer.at.block, blocks: answer.blocks }],
		};
	}
	const cheapest = answer.cheapest;
	if (!cheapest) return undefined;
	return {
		id: 'fit',
		label: `${formatBytes(bytes)} would fit at ${placeText(cheapest.area, cheapest.offsetBytes, areas)} but for ${formatCount(cheapest.objectCount)} ${cheapest.objectCount === 1 ? 'object' : 'objects'} (${formatBytes(cheapest.allocatedBytes)})`,
		letter: IN_THE_WAY_LETTER,
		style: { fg: 'red', inverse: true, bold: true },
		ranges: cheapest.objects.map((object) => ({
			areaIndex: object.area,
			firstBlock: object.block,
			blocks: object.blocks,
		})),
	};
}
