import { earlyVsLate } from './early-vs-late.js';
import { fragmentation } from './fragmentation.js';
import { reuseBuffer } from './reuse-buffer.js';
import type { Scenario } from './scenario.js';
import { slowLeak } from './slow-leak.js';
import { smallVsBig } from './small-vs-big.js';
import { stringBuilding } from './string-building.js';

export type { Scenario, ScenarioStepCode } from './scenario.js';

/** The built-in scenarios, in the order `1`-`9` pick them; the first is the default demo. */
export const scenarios: readonly Scenario[] = [
	fragmentation,
	earlyVsLate,
	smallVsBig,
	reuseBuffer,
	stringBuilding,
	slowLeak,
];

/** The scenario called `name`, or undefined. */
export function findScenario(name: string): Scenario | undefined {
	return scenarios.find((scenario) => scenario.name === name);
}
