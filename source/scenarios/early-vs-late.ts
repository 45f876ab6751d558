import type { Scenario } from './scenario.js';

// The program: it reads data into temporary 1 KB buffers and keeps a small result of each, so its survivors
// end up spread over the whole heap. The number of reads follows the free memory.
const work = `import gc

def work():
    results = []
    for i in range(gc.mem_free() // 1100):
        chunk = bytearray(1024)
        results.append((i, len(chunk)))
    return results
`;

/** The same program with its big buffer allocated last, then first. */
export const earlyVsLate: Scenario = {
	name: 'early-vs-late',
	title: 'Big buffers early, not late',
	summary: 'Allocate big buffers at start-up, while the heap is still one free run.',
	steps: [
		{
			caption: 'Late: the program starts and defines its functions. The heap is still nearly empty.',
			code: `${work}big = gc.mem_free() // 3
`,
			collect: true,
		},
		{
			caption: 'Late: it does its work first; its small results (T) end up all over the heap.',
			code: `results = work()
print(len(results), 'results kept')
`,
			collect: true,
		},
		{
			caption: 'Late: then it asks for its big buffer (a third of the heap): MemoryError.',
			code: 'frame = bytearray(big)\n',
		},
		{
			caption: 'Start over: drop the results and collect. The heap is one free run again.',
			code: 'results = None\n',
			collect: true,
		},
		{
			caption: 'Early: this time the big buffer comes first, while the heap is empty.',
			code: `frame = bytearray(big)
print('frame of', len(frame), 'bytes')
`,
		},
		{
			caption: 'Early: the same work fits around it. Same program, other order, no error.',
			code: `results = work()
print(len(results), 'results kept beside a frame of', len(frame), 'bytes')
`,
			collect: true,
		},
	],
};
