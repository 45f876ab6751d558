import { useStdin } from 'ink';
import { useEffect, useRef } from 'react';
import { type KeyName, parseKeys } from '../state/keys.js';

/**
 * Calls `onKey` for every key the user presses, named by `parseKeys`. Ink's `useInput` folds F1, F10 and
 * the other function keys into one nameless key, so this listens to Ink's input events directly (the same
 * events `useInput` gets: Ink has already split the stream into sequences and runs of text).
 */
export function useKeys(onKey: (key: KeyName) => void): void {
	const { internal_eventEmitter: events, setRawMode, isRawModeSupported } = useStdin();
	const latest = useRef(onKey);
	latest.current = onKey;
	useEffect(() => {
		if (!isRawModeSupported) return;
		setRawMode(true);
		return () => setRawMode(false);
	}, [isRawModeSupported, setRawMode]);
	useEffect(() => {
		const handle = (data: string) => {
			for (const key of parseKeys(data)) latest.current(key);
		};
		events.on('input', handle);
		return () => {
			events.off('input', handle);
		};
	}, [events]);
}
