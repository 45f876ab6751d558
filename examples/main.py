# A sensor logger in the style of the memory guides' examples: try `heaptop profile examples/main.py`.
import gc
import json

readings = []
for i in range(40):
    readings.append({'t': i, 'value': i * 0.5})

report = ''
for entry in readings:
    report += json.dumps(entry) + '\n'

buffer = bytearray(8 * 1024)

def summary(values):
    total = 0
    for entry in values:
        total += entry['value']
    return total / len(values)

mean = summary(readings)
readings = None
