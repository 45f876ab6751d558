import { useEffect, useRef } from 'react';

/**
 * Calls `tick` every `intervalMs` while enabled (0 is off). The next tick is scheduled only after the
 * previous one's reading has had time to land, by a timeout chain rather than `setInterval`, so a slow board
 * never has readings queue up behind each other; the timer is cleared on unmount and on every change.
 */
export function useAutoRefresh(tick: () => void, intervalMs: number, enabled: boolean): void {
	const latest = useRef(tick);
	latest.current = tick;
	useEffect(() => {
		if (!enabled || intervalMs <= 0) return;
		let timer: NodeJS.Timeout | undefined;
		const schedule = () => {
			timer = setTimeout(() => {
				latest.current();
				schedule();
			}, intervalMs);
		};
		schedule();
		return () => clearTimeout(timer);
	}, [intervalMs, enabled]);
}
