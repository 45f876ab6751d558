import { useEffect, useRef } from 'react';
import type { ReplayControls } from '../sources/source.js';
import { playWaitMs } from './replay-pace.js';

/**
 * While `playing`, moves a replay one reading forward after the wait its recorded gap asks for at `speed`,
 * one timeout per reading, so that a step, a seek or a new speed simply starts the next wait afresh. At the
 * last reading it calls `onEnd` instead. The timer is cleared on unmount and on every change.
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
		const readings = controls.readings();
		const from = readings[index];
		const to = readings[index + 1];
		if (!from || !to) {
			latestOnEnd.current();
			return;
		}
		const timer = setTimeout(() => controls.seek(index + 1), playWaitMs(from.atMs, to.atMs, speed));
		return () => clearTimeout(timer);
	}, [controls, index, playing, speed]);
}
