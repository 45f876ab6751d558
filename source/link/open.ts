import type { Link, LinkKind, LinkOptions } from './link.js';

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

// Schemes people type for the links heaptop has, and the one heaptop (and mpremote, through pyserial) spells.
const nearSchemes: Record<string, string> = {
	tcp: 'socket',
	raw: 'socket',
	telnet: 'rfc2217',
	http: 'ws',
	https: 'wss',
};

/**
 * For a `--port` that names a URL scheme heaptop has no link for (`tcp://pi:2217`), what to type instead; undefined
 * for a known scheme or a path. Without it such a name would be taken as a device path that "does not exist".
 */
export function unknownSchemeAdvice(spec: string): string | undefined {
	const match = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(spec);
	if (!match || linkKindOf(spec) !== 'serial') return undefined;
	const scheme = (match[1] ?? '').toLowerCase();
	const near = nearSchemes[scheme];
	if (near) return `--port ${spec}: heaptop has no ${scheme}:// link; did you mean ${near}://${match[2] ?? ''}?`;
	return `--port ${spec}: heaptop has no ${scheme}:// link; it takes a serial path, socket://, rfc2217://, ws:// or wss://`;
}

/** The one place heaptop opens a board's console: dispatches by the name's scheme. Rejects with a PortError. */
export async function openLink(spec: string, options: LinkOptions = {}): Promise<Link> {
	const kind = linkKindOf(spec);
	if (kind === 'serial') {
		// Loaded on demand: the serialport binding is the slowest module to load, and network links do not need it.
		const { openSerialLink } = await import('./serial.js');
		return openSerialLink(spec, options);
	}
	if (kind === 'tcp') {
		const { openTcpLink } = await import('./tcp.js');
		return openTcpLink(spec, options);
	}
	if (kind === 'rfc2217') {
		const { openRfc2217Link } = await import('./rfc2217.js');
		return openRfc2217Link(spec, options);
	}
	const { openWebreplLink } = await import('./webrepl.js');
	return openWebreplLink(spec, options);
}
