import type { Scenario } from './scenario.js';

// A 96×16 label, one byte per pixel (1,536 bytes of pixels), built two ways.
const builders = `import gc

def label_as_pieces():
    # One list per character, one 8-byte row object per pixel row: 12 × 16 = 192 small objects.
    return [[bytes(8) for row in range(16)] for char in range(12)]

def label_as_bitmap():
    return bytearray(96 * 16)
`;

/** A text label as many small objects, then as one bitmap: memory cost against fragmentation tolerance. */
export const smallVsBig: Scenario = {
	name: 'small-vs-big',
	title: 'Many small objects vs one big block',
	summary: 'Many small objects cost more memory; one big block costs less but needs one free run.',
	steps: [
		{
			caption: 'A 96×16 label as 192 small row objects (S h) in 12 lists (L h): see the overhead.',
			code: `${builders}pieces = label_as_pieces()
print('label as', len(pieces) * len(pieces[0]), 'row objects')
`,
			collect: true,
		},
		{
			caption: 'The same pixels as one bytearray (A h====): one object, barely more than the pixels.',
			code: `bitmap = label_as_bitmap()
print('label as one bitmap of', len(bitmap), 'bytes')
`,
			collect: true,
		},
		{
			caption: 'Now the other side of the trade-off. Drop both labels and collect.',
			code: 'pieces = bitmap = None\n',
			collect: true,
		},
		{
			caption: 'Fragment the heap: fill it with 240 B buffers, then drop every other one.',
			// The list is made full size first, so that growing it leaves no bigger holes. About 1 KB stays free at
			// the end: room to compile the next steps, too little for the bitmap.
			code: `n = (gc.mem_free() - 1024) // 260
temps = [None] * n
for i in range(n):
    temps[i] = bytearray(240)
for i in range(0, n, 2):
    temps[i] = None
`,
			collect: true,
		},
		{
			caption: 'The label as small pieces still fits: every piece finds a 240 B hole.',
			code: `pieces = label_as_pieces()
print('label as', len(pieces) * len(pieces[0]), 'row objects, on a fragmented heap')
`,
		},
		{
			caption: 'The one-block bitmap needs 1,536 contiguous bytes: MemoryError, with memory free.',
			code: 'bitmap = label_as_bitmap()\n',
		},
	],
};
