# A 10 KB frame buffer asked for late, on a heap with plenty free in small pieces:
# heaptop run examples/frame-buffer.py --port PORT says why it fails.
readings = []
scratch = []
for i in range(60):
    scratch.append(bytearray(1500))
    readings.append(bytearray(600))
scratch = None
print('readings kept:', len(readings))
frame = bytearray(10 * 1024)
print('frame buffer ready')
