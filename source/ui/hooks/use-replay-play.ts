import { useEffect, useRef } from 'react';
import type { ReplayControls } from '../../sources/source.js';
import { nextPlayStep } from '../state/replay-pace.js';

/**
 * While `playing`, moves a replay forward to the next reading `nextPlayStep` picks, after the wait it asks
 * for: one timeout per move, so that a step, a seek or a new speed simply starts the next wait afresh. At
 * the last reading it calls `onEnd` instead. The timer is cleared on unmount and on every change.
 */
export function useReplayPlay(
	controls: ReplayControls | undefined,
	index: number | undefined,
	playing: boolean,
	speed: number,
	onEnd: () => void,
): void {
	const latestOnEnd = useRef(onEnd);
	latestOnEnd.current = onEnd;
	useEffect(() => {
		if (!controls || !playing || index === undefined) return;
		// The cursor itself, not the index of the last render: a seek asked for with the same key (space at the
		// end plays from the first) has moved it already.
		const step = nextPlayStep(controls.points(), controls.cursor(), speed);
		if (!step) {
			latestOnEnd.current();
			return;
		}
		const timer = setTimeout(() => controls.seek(step.index), step.waitMs);
		return () => clearTimeout(timer);
	}, [controls, index, playing, speed]);
}
