import type { Scenario } from './scenario.js';

/** `s += piece` in a loop, against `join` and a bytearray written in place. */
export const stringBuilding: Scenario = {
	name: 'string-building',
	title: 'String building vs join and bytearray',
	summary: 'Strings are immutable: += in a loop copies everything each time. Use join, or a bytearray.',
	steps: [
		{
			caption: 's += piece, 60 times: each += makes a new, longer string; the old ones are garbage.',
			code: `import gc
import micropython
before = gc.mem_alloc()
s = ''
for i in range(60):
    s += 'reading ' + str(i % 10) + ';'
print(len(s), 'characters; heap grew', gc.mem_alloc() - before, 'bytes')
micropython.mem_info(1)
`,
		},
		{
			caption: 'Collect: only the last string was worth keeping.',
			code: '',
			collect: true,
		},
		{
			caption: 'join: the pieces go in a list and are copied once, at the end. Far less garbage.',
			code: `before = gc.mem_alloc()
parts = []
for i in range(60):
    parts.append('reading ' + str(i % 10) + ';')
s = ''.join(parts)
parts = None
print(len(s), 'characters; heap grew', gc.mem_alloc() - before, 'bytes')
micropython.mem_info(1)
`,
		},
		{
			caption: 'Collect again: the pieces and the list go.',
			code: '',
			collect: true,
		},
		{
			caption: 'A bytearray written in place: one allocation, no garbage at all.',
			code: `before = gc.mem_alloc()
out = bytearray(60 * 10)
prefix = b'reading '
for i in range(60):
    at = i * 10
    for j in range(8):
        out[at + j] = prefix[j]
    out[at + 8] = 48 + i % 10
    out[at + 9] = 59
print(len(out), 'bytes; heap grew', gc.mem_alloc() - before, 'bytes')
micropython.mem_info(1)
`,
		},
	],
};
