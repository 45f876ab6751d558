import type { Capabilities } from '../../source/ui/state/command-types.js';

/**
 * What the reducer may know of a live board that can read, as the App builds it, for tests and the bench
 * that drive the reducer without an App. One place, so a field added to `Capabilities` is added once.
 */
export function liveCapabilities(
	reading: Capabilities['reading'],
	overrides: Partial<Capabilities> = {},
): Capabilities {
	return {
		mode: 'live',
		scenarios: 0,
		canRead: true,
		canInterrupt: false,
		canProbe: false,
		status: 'live',
		readInFlight: false,
		...(reading === undefined ? {} : { reading }),
		columns: 100,
		rows: 30,
		captionLines: 0,
		legendLines: 2,
		helpLines: 30,
		nowMs: 1000,
		ascii: false,
		...overrides,
	};
}
