import type { Scenario } from './scenario.js';

const handleEvents = `for n in range(40):
    handle(n)
print(len(history), 'events kept')
`;

/** A history list that is never trimmed: used-after-collect climbs at every step. */
export const slowLeak: Scenario = {
	name: 'slow-leak',
	title: 'A slow leak',
	summary: 'A leak is used memory that a collect does not give back, growing step after step.',
	steps: [
		{
			caption: 'An event handler that records every event in a global list it never trims.',
			code: `import gc
history = []

def handle(n):
    reading = bytearray(64)
    history.append('event %d' % n)
    return len(reading)

${handleEvents}`,
			collect: true,
		},
		{
			caption: '40 more events, then collect: used after collect is higher than last time.',
			code: handleEvents,
			collect: true,
		},
		{
			caption: 'And again: the history (L, its h array, one S per event) keeps growing.',
			code: handleEvents,
			collect: true,
		},
		{
			caption: 'And again: a steady climb of used-after-collect is what a leak looks like.',
			code: handleEvents,
			collect: true,
		},
		{
			caption: 'The fix: keep only the last 10 events. Collect: used drops back and stays flat.',
			code: `history = history[-10:]

def handle(n):
    reading = bytearray(64)
    history.append('event %d' % n)
    del history[:-10]
    return len(reading)

${handleEvents}`,
			collect: true,
		},
	],
};
