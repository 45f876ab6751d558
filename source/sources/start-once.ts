import type { HeapSource, SourceEvent } from './source.js';

/**
 * The same source, with a `start` that runs once: the CLI starts a board itself, to turn a port that will
 * not open into one line and an exit code, and the TUI then calls `start` again without opening it twice.
 * A subscriber that arrives after the start is told the latest status at once, as if it had been there.
 */
export function withSingleStart<Source extends HeapSource>(source: Source): Source {
	let started: Promise<void> | undefined;
	let lastStatus: SourceEvent | undefined;
	source.subscribe((event) => {
		if (event.type === 'status') lastStatus = event;
	});
	return new Proxy(source, {
		get(target, property, receiver) {
			if (property === 'start') {
				return () => {
					started ??= target.start();
					return started;
				};
			}
			if (property === 'subscribe') {
				return (listener: (event: SourceEvent) => void) => {
					const unsubscribe = target.subscribe(listener);
					if (lastStatus) listener(lastStatus);
					return unsubscribe;
				};
			}
			const value = Reflect.get(target, property, receiver);
			return typeof value === 'function' ? value.bind(target) : value;
		},
	});
}
