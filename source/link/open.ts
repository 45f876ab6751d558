import { type Link, type LinkKind, type LinkOptions, PortError } from './link.js';

/**
 * Which kind of link a name asks for: `socket://host:port` TCP, `rfc2217://host:port` RFC 2217,
 * `ws://` or `wss://` WebREPL, anything else a serial device path (or an mpremote shortcut already resolved).
 */
export function linkKindOf(spec: string): LinkKind {
	if (/^socket:\/\//i.test(spec)) return 'tcp';
	if (/^rfc2217:\/\//i.test(spec)) return 'rfc2217';
	if (/^wss?:\/\//i.test(spec)) return 'webrepl';
	return 'serial';
}

/** The one place heaptop opens a board's console: dispatches by the name's scheme. Rejects with a PortError. */
export async function openLink(spec: string, options: LinkOptions = {}): Promise<Link> {
	const kind = linkKindOf(spec);
	if (kind === 'serial') {
		// Loaded on demand: the serialport binding is the slowest module to load, and network links do not need it.
		const { openSerialLink } = await import('./serial.js');
		return openSerialLink(spec, options);
	}
	throw new PortError('invalid', spec, `${spec}: ${kind} links are not supported yet; use a serial port path`);
}
