import type { HeapSnapshot } from './model.js';

/** Per-block change marks, in `BlockChange` codes. */
export const BlockChange = { same: 0, freed: 1, allocated: 2, changed: 3 } as const;

/** What changed in one area that both snapshots have (matched by start address). */
export type AreaDiff = {
	address: string;
	/** One `BlockChange` code per block of the later snapshot's area. */
	marks: Uint8Array;
};

/** Blocks freed, newly allocated, and reused by another kind between two snapshots. */
export type HeapDiff = {
	freedBlocks: number;
	allocatedBlocks: number;
	/** Used in both, but by a different letter, or a head became a tail: another object sits there now. */
	changedBlocks: number;
	areas: AreaDiff[];
	/** Areas of the later snapshot that the earlier one did not have (the heap grew). */
	newAreas: string[];
};

const FREE = 0x2e; // '.'

/** Compares two snapshots block by block. Areas are matched by address; a summary-only side gives no marks. */
export function diffSnapshots(before: HeapSnapshot, after: HeapSnapshot): HeapDiff {
	const diff: HeapDiff = { freedBlocks: 0, allocatedBlocks: 0, changedBlocks: 0, areas: [], newAreas: [] };
	for (const area of after.areas) {
		const previous = before.areas.find((candidate) => candidate.address === area.address);
		if (!previous) {
			diff.newAreas.push(area.address);
			continue;
		}
		const marks = new Uint8Array(area.cells.length);
		const shared = Math.min(area.cells.length, previous.cells.length);
		for (let index = 0; index < shared; index++) {
			const was = previous.cells.charCodeAt(index);
			const now = area.cells.charCodeAt(index);
			if (was === now) continue;
			if (now === FREE) {
				marks[index] = BlockChange.freed;
				diff.freedBlocks++;
			} else if (was === FREE) {
				marks[index] = BlockChange.allocated;
				diff.allocatedBlocks++;
			} else {
				marks[index] = BlockChange.changed;
				diff.changedBlocks++;
			}
		}
		diff.areas.push({ address: area.address, marks });
	}
	return diff;
}
