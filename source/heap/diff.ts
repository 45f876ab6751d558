import type { HeapSnapshot } from './model.js';

/** Per-block change marks, in `BlockChange` codes. */
export const BlockChange = { same: 0, freed: 1, allocated: 2, changed: 3 } as const;

/** What changed in one area that both snapshots have (matched by start address). */
export type AreaDiff = {
	address: string;
	/**
	 * One `BlockChange` code per block of the later snapshot's area; absent for an area beyond `MAX_MARKED`
	 * blocks, whose changes are counted but not marked.
	 */
	marks?: Uint8Array;
};

/** Areas up to this many blocks (1 GiB at 16 B a block) get a mark per block; a damaged dump may claim more. */
export const MAX_MARKED = 2 ** 26;

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
		const marks = area.cells.length <= MAX_MARKED ? new Uint8Array(area.cells.length) : undefined;
		const shared = Math.min(area.cells.length, previous.cells.length);
		for (let index = 0; index < shared; index++) {
			const was = previous.cells.charCodeAt(index);
			const now = area.cells.charCodeAt(index);
			// Where both sides repeat one letter (elided rows), the whole stretch compares at once.
			const end = Math.min(shared, area.cells.repeatEnd(index), previous.cells.repeatEnd(index));
			if (was === now) {
				index = end - 1;
				continue;
			}
			const change = now === FREE ? BlockChange.freed : was === FREE ? BlockChange.allocated : BlockChange.changed;
			marks?.fill(change, index, end);
			if (change === BlockChange.freed) diff.freedBlocks += end - index;
			else if (change === BlockChange.allocated) diff.allocatedBlocks += end - index;
			else diff.changedBlocks += end - index;
			index = end - 1;
		}
		diff.areas.push(marks === undefined ? { address: area.address } : { address: area.address, marks });
	}
	return diff;
}
