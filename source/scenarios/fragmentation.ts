import type { Scenario } from './scenario.js';

/**
 * A heap full of 1 KB buffers, every other one freed: plenty of free memory, all of it in holes too small for
 * one large buffer.
 */
export const fragmentation: Scenario = {
	name: 'fragmentation',
	title: 'Fragmentation',
	summary: 'Free memory is not one piece: a big allocation can fail while plenty looks free.',
	steps: [
		{
			caption: 'A fresh board: nearly all of the heap is one free run.',
			code: 'import gc\n',
			collect: true,
		},
		{
			caption: 'Fill the heap with 1,024 B buffers (A h===), one after another.',
			// The list is made full size first, so that growing it leaves no holes of its own. A buffer costs
			// 1,040 bytes plus 4 for its list slot; about 4 KB stays free at the end for the next steps.
			code: `n = (gc.mem_free() - 4096) // 1044
buffers = [None] * n
for i in range(n):
    buffers[i] = bytearray(1024)
print(n, 'buffers of 1,024 B')
`,
		},
		{
			caption: 'Drop every other buffer and collect: half the heap is free, but in 1,024 B holes.',
			code: `for i in range(0, n, 2):
    buffers[i] = None
`,
			collect: true,
		},
		{
			caption: 'Ask for one 10,240 B buffer: MemoryError, although the free total is many times that.',
			code: 'frame = bytearray(10 * 1024)\n',
		},
	],
};
