# Plenty free in total, no run long enough: try `heaptop profile examples/fragment.py`.
chunks = []
for i in range(60):
    chunks.append(bytearray(1500))
    chunks.append(bytearray(600))

for i in range(0, len(chunks), 2):
    chunks[i] = None

big = bytearray(100000)
print('never reached')
