import { basename, dirname, join } from 'node:path';
import { readdir, readFile, readlink, realpath } from '../promised-fs.js';

/**
 * Serial port discovery: which ports exist, and which look like a MicroPython or CircuitPython board
 * (protocol.md §7). The binding's `list()` needs udev on Linux and fails without it (`spawn udevadm ENOENT`, as
 * in containers); then the ports are found in /dev/serial/by-id and /dev/tty{ACM,USB}*, and their USB
 * identity is read from sysfs, which needs no udev.
 */

/** What a port looks like from its USB identity. */
export type PortKind =
	/** MicroPython's own VID (0xF055), the rp2 default (2E8A:0005), or a `MicroPython` manufacturer string. */
	| 'micropython'
	/** A CircuitPython product or manufacturer string. */
	| 'circuitpython'
	/** A board maker's VID that ships either firmware (Adafruit, Raspberry Pi, Espressif…). */
	| 'python-board'
	/** A USB-serial bridge (CP210x, CH340, FTDI): often an ESP board, often not. */
	| 'usb-serial'
	/** Anything else, including ports with no USB identity. */
	| 'other';

/** One serial port. */
export type PortInfo = {
	path: string;
	/** Lowercase 4-digit hex, when the port is USB. */
	vendorId?: string;
	productId?: string;
	manufacturer?: string;
	product?: string;
	serialNumber?: string;
	/** The stable /dev/serial/by-id name, when there is one. */
	byIdPath?: string;
	kind: PortKind;
};

/** Ports found, and how: `list` when serialport's own listing worked, `fallback` when it had to be guessed. */
export type PortListing = { ports: PortInfo[]; method: 'list' | 'fallback'; listError?: string };

const bridgeVids = new Set(['10c4', '1a86', '0403']);
const boardVids = new Set(['239a', '2e8a', '303a', '1209', '04d8', '1b4f', '2886', '2341', '0d28', '0483']);

/** Classifies a port by VID/PID and USB strings (protocol.md §7). Talking to the board is the only proof. */
export function classifyPort(info: Omit<PortInfo, 'kind' | 'path'>): PortKind {
	const text = `${info.manufacturer ?? ''} ${info.product ?? ''}`.toLowerCase();
	if (text.includes('circuitpython')) return 'circuitpython';
	if (text.includes('micropython') || text.includes('pyboard')) return 'micropython';
	const vid = info.vendorId?.toLowerCase();
	const pid = info.productId?.toLowerCase();
	if (vid === 'f055') return 'micropython';
	if (vid === '2e8a' && pid === '0005') return 'micropython';
	if (vid === '2e8a' && pid === '0003') return 'other'; // RP2040 BOOTSEL: mass storage, not a REPL
	if (vid && boardVids.has(vid)) return 'python-board';
	if (vid && bridgeVids.has(vid)) return 'usb-serial';
	return 'other';
}

/** True for the kinds worth trying without being asked. */
export function looksLikeBoard(port: PortInfo): boolean {
	return port.kind === 'micropython' || port.kind === 'circuitpython' || port.kind === 'python-board';
}

/**
 * mpremote's shortcuts: `a0`…`a99` → /dev/ttyACMn, `u0` → /dev/ttyUSBn, `c0` → COMn. Anything else is a path
 * and is returned as it is.
 */
export function resolvePortName(name: string): string {
	const match = /^([auc])(\d{1,2})$/.exec(name);
	if (!match) return name;
	const [, letter, number] = match;
	if (letter === 'a') return `/dev/ttyACM${number}`;
	if (letter === 'u') return `/dev/ttyUSB${number}`;
	return `COM${number}`;
}

function normaliseHex(value: string | undefined): string | undefined {
	const trimmed = value?.trim().toLowerCase().replace(/^0x/, '');
	return trimmed ? trimmed.padStart(4, '0') : undefined;
}

async function readTrimmed(path: string): Promise<string | undefined> {
	try {
		const text = (await readFile(path, 'utf8')).trim();
		return text || undefined;
	} catch {
		return undefined;
	}
}

/** USB identity of /dev/ttyX from sysfs: walk up from the tty's device to the USB device that has idVendor. */
async function sysfsIdentity(devicePath: string): Promise<Omit<PortInfo, 'kind' | 'path'>> {
	try {
		let dir = await realpath(join('/sys/class/tty', basename(devicePath), 'device'));
		for (let depth = 0; depth < 5 && dir !== '/'; depth++, dir = dirname(dir)) {
			const vendorId = normaliseHex(await readTrimmed(join(dir, 'idVendor')));
			if (!vendorId) continue;
			const identity: Omit<PortInfo, 'kind' | 'path'> = { vendorId };
			const productId = normaliseHex(await readTrimmed(join(dir, 'idProduct')));
			const manufacturer = await readTrimmed(join(dir, 'manufacturer'));
			const product = await readTrimmed(join(dir, 'product'));
			const serialNumber = await readTrimmed(join(dir, 'serial'));
			if (productId) identity.productId = productId;
			if (manufacturer) identity.manufacturer = manufacturer;
			if (product) identity.product = product;
			if (serialNumber) identity.serialNumber = serialNumber;
			return identity;
		}
	} catch {
		// No sysfs entry: not a USB tty, or not Linux.
	}
	return {};
}

async function byIdLinks(): Promise<Map<string, string>> {
	const links = new Map<string, string>();
	const dir = '/dev/serial/by-id';
	try {
		for (const name of await readdir(dir)) {
			const link = join(dir, name);
			try {
				links.set(await realpath(link), link);
			} catch {
				// A dangling link: the board went away while listing.
			}
		}
	} catch {
		// No udev, or no USB serial device: the directory does not exist.
	}
	return links;
}

async function fallbackPorts(): Promise<PortInfo[]> {
	const links = await byIdLinks();
	const paths = new Set(links.keys());
	try {
		for (const name of await readdir('/dev')) {
			if (/^tty(ACM|USB)\d+$/.test(name)) paths.add(join('/dev', name));
		}
	} catch {
		// Not a Unix /dev.
	}
	const ports: PortInfo[] = [];
	for (const path of [...paths].sort()) {
		const identity = await sysfsIdentity(path);
		const byIdPath = links.get(path);
		ports.push({ path, ...identity, ...(byIdPath ? { byIdPath } : {}), kind: classifyPort(identity) });
	}
	return ports;
}

/** Lists serial ports, with serialport's listing when it works and the fallback when it does not. */
export async function listPorts(): Promise<PortListing> {
	try {
		// Loaded here, not with the module: the serial binding is the slowest thing heaptop loads, and a start with
		// --port PATH, which needs no listing, reaches this module too. The binding's own list is what serialport's
		// SerialPort.list() calls; the umbrella package would load ten parsers and a mock binding besides.
		const { autoDetect } = await import('@serialport/bindings-cpp');
		const listed = await autoDetect().list();
		const links = await byIdLinks();
		const ports = listed.map((port): PortInfo => {
			const identity: Omit<PortInfo, 'kind' | 'path'> = {};
			const vendorId = normaliseHex(port.vendorId);
			const productId = normaliseHex(port.productId);
			if (vendorId) identity.vendorId = vendorId;
			if (productId) identity.productId = productId;
			if (port.manufacturer) identity.manufacturer = port.manufacturer;
			if (port.serialNumber) identity.serialNumber = port.serialNumber;
			const byIdPath = links.get(port.path);
			if (byIdPath) identity.byIdPath = byIdPath;
			return { path: port.path, ...identity, kind: classifyPort(identity) };
		});
		return { ports: ports.sort((a, b) => a.path.localeCompare(b.path)), method: 'list' };
	} catch (error) {
		return {
			ports: await fallbackPorts(),
			method: 'fallback',
			listError: error instanceof Error ? error.message : String(error),
		};
	}
}

/** What `heaptop` without `--port` should do with the ports it found. */
export type PortChoice =
	| { kind: 'one'; port: PortInfo }
	| { kind: 'several'; ports: PortInfo[]; message: string }
	| { kind: 'none'; message: string };

/** Picks the one board-looking port, or says why not in a line meant for the user. */
export function choosePort(ports: readonly PortInfo[]): PortChoice {
	const boards = ports.filter(looksLikeBoard);
	const [only] = boards;
	if (boards.length === 1 && only) return { kind: 'one', port: only };
	if (boards.length > 1) {
		return {
			kind: 'several',
			ports: boards,
			message: `several boards found (${boards.map((port) => port.path).join(', ')}): pick one with --port`,
		};
	}
	const seen = ports.length > 0 ? `ports seen: ${ports.map(describePort).join('; ')}` : 'no serial ports seen';
	return { kind: 'none', message: `no MicroPython board found (${seen}); showing the emulated board` };
}

/** One line for a port: path, VID:PID, maker, serial number, and what it looks like. */
export function describePort(port: PortInfo): string {
	const parts = [port.path];
	if (port.vendorId) parts.push(`${port.vendorId}:${port.productId ?? '????'}`);
	const maker = [port.manufacturer, port.product].filter(Boolean).join(' ');
	if (maker) parts.push(maker);
	if (port.serialNumber) parts.push(`serial ${port.serialNumber}`);
	const kinds: Record<PortKind, string> = {
		micropython: 'MicroPython board',
		circuitpython: 'CircuitPython board',
		'python-board': 'board maker VID: MicroPython or CircuitPython',
		'usb-serial': 'USB-serial bridge: maybe an ESP board',
		other: 'not a known board',
	};
	parts.push(kinds[port.kind]);
	return parts.join(' · ');
}

/** Existing port paths, for the "no such port" message. */
export async function existingPortPaths(): Promise<string[]> {
	const { ports } = await listPorts();
	return ports.map((port) => port.path);
}

/** Where a /dev/serial/by-id link points now, to find a board again after it re-enumerated. */
export async function followById(byIdPath: string): Promise<string | undefined> {
	try {
		const target = await readlink(byIdPath);
		return target.startsWith('/') ? target : join(dirname(byIdPath), target);
	} catch {
		return undefined;
	}
}
