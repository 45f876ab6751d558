import type { Scenario } from './scenario.js';

/** A buffer made per read, against one allocated up front and reused. */
export const reuseBuffer: Scenario = {
	name: 'reuse-buffer',
	title: 'Reuse a preallocated buffer',
	summary: 'Allocate a buffer once and reuse it; a new buffer per loop turns into garbage and GC pauses.',
	steps: [
		{
			caption: 'A loop that makes a new 512 B buffer per read: the garbage (A h===) piles up.',
			code: `import gc
import micropython

def read_new(i):
    buf = bytearray(512)
    buf[0] = i & 255
    return buf[0]

before = gc.mem_alloc()
for i in range(60):
    read_new(i)
print('new buffer per read: heap grew', gc.mem_alloc() - before, 'bytes in 60 reads')
micropython.mem_info(1)
`,
		},
		{
			caption: 'Collect: every one of those buffers was garbage that the GC had to find and free.',
			code: '',
			collect: true,
		},
		{
			caption: 'One buffer allocated up front and reused (readinto style): the heap stays as it was.',
			code: `buf = bytearray(512)

def read_into(b, i):
    b[0] = i & 255
    return b[0]

before = gc.mem_alloc()
for i in range(60):
    read_into(buf, i)
print('reused buffer: heap grew', gc.mem_alloc() - before, 'bytes in 60 reads')
micropython.mem_info(1)
`,
		},
	],
};
