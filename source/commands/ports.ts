import { readFileSync, statSync } from 'node:fs';
import { unknownSchemeAdvice } from '../link/open.js';
import { jsonText } from '../output/json-text.js';
import { choosePort, describePort, listPorts, type PortInfo, resolvePortName } from '../sources/ports.js';
import { UsageError } from './errors.js';

/**
 * `heaptop ports`, and the choice of port for every command that talks to a board: `--port PATH`, the
 * mpremote shortcuts (`a0`, `u0`, `c0`), `--port auto`, or nothing.
 */

/** Flags of `heaptop ports`. */
export type PortsOptions = {
	json?: boolean;
	/** Where lines go (stdout in the CLI). */
	print: (line: string) => void;
};

/** Lists serial ports, one line each (or JSON), marking the ones that look like boards. Returns the exit code. */
export async function runPorts(options: PortsOptions): Promise<number> {
	const listing = await listPorts();
	if (options.json) {
		options.print(jsonText({ method: listing.method, ports: listing.ports }, 2));
		return 0;
	}
	if (listing.ports.length === 0) options.print('no serial ports found');
	for (const port of listing.ports) options.print(describePort(port));
	if (listing.method === 'fallback') {
		options.print('(listed from /dev and sysfs: the system port listing is unavailable here, e.g. no udev)');
	}
	return 0;
}

/**
 * Where to find the board, or why there is none: `reason` for a screen that shows the demo instead, `missing`
 * for a command that must not (`--once`, `--json`: a script should never log the emulator's figures as a board's).
 */
export type BoardPortChoice =
	| { kind: 'board'; path: string; byIdPath?: string }
	| { kind: 'demo'; reason: string; missing: string };

/**
 * Resolves `--port`. A path or shortcut is taken as given (a missing one is reported when it is opened, since a
 * board may be on its way back), but a file that exists and is no terminal device is refused at once: one line,
 * exit 2, rather than the binding's raw ioctl error. Without `--port` or with `auto`: the one board-looking port;
 * several are a usage error listing them; none means the demo, or exit 1 where the demo will not do.
 */
export async function chooseBoardPort(flag: string | undefined): Promise<BoardPortChoice> {
	if (flag !== undefined && flag !== 'auto') {
		const advice = unknownSchemeAdvice(flag);
		if (advice !== undefined) throw new UsageError(advice);
		const path = resolvePortName(flag);
		const problem = notASerialPort(path);
		if (problem !== undefined) throw new UsageError(`--port ${flag}${problem}; heaptop ports lists the serial ports`);
		return { kind: 'board', path };
	}
	const { ports } = await listPorts();
	const choice = choosePort(ports);
	if (choice.kind === 'one') return boardChoice(choice.port);
	if (choice.kind === 'several') throw new UsageError(choice.message);
	const seen = ports.length > 0 ? `ports seen: ${ports.map((port) => port.path).join(', ')}` : 'no serial ports seen';
	return {
		kind: 'demo',
		reason: choice.message,
		missing: `no MicroPython board found (${seen})`,
	};
}

/** The major number and minor range of each terminal driver, from the text of Linux's /proc/tty/drivers. */
export function terminalDrivers(text: string): Array<{ major: number; minorFrom: number; minorTo: number }> {
	const drivers = [];
	for (const line of text.split('\n')) {
		const match = /^\S+\s+\S+\s+(\d+)\s+(\d+)(?:-(\d+))?\s/.exec(line);
		if (!match) continue;
		const minorFrom = Number(match[2]);
		drivers.push({
			major: Number(match[1]),
			minorFrom,
			minorTo: match[3] === undefined ? minorFrom : Number(match[3]),
		});
	}
	return drivers;
}

/** True when a character device's number (`stat.rdev`, Linux's encoding) belongs to one of the terminal drivers. */
export function isTerminalDevice(rdev: number, drivers: ReturnType<typeof terminalDrivers>): boolean {
	const major = ((rdev >>> 8) & 0xfff) | (Math.floor(rdev / 2 ** 32) & ~0xfff);
	const minor = (rdev & 0xff) | ((rdev >>> 12) & 0xfff00);
	return drivers.some((driver) => driver.major === major && minor >= driver.minorFrom && minor <= driver.minorTo);
}

/**
 * Why `path` cannot be a serial port, or undefined when it may be one (or is not there yet, or is not a path:
 * a COM port, a network address). Looks without opening it: opening a serial port can reset a board.
 */
function notASerialPort(path: string): string | undefined {
	if (!path.startsWith('/') && !path.startsWith('.')) return undefined;
	let stats: ReturnType<typeof statSync>;
	try {
		stats = statSync(path);
	} catch {
		return undefined;
	}
	if (stats.isDirectory()) return ' is a folder, not a serial port';
	if (!stats.isCharacterDevice()) return ' is a file, not a serial port';
	let drivers: ReturnType<typeof terminalDrivers>;
	try {
		drivers = terminalDrivers(readFileSync('/proc/tty/drivers', 'utf8'));
	} catch {
		// Not Linux: the device is tried as it is.
		return undefined;
	}
	return drivers.length === 0 || isTerminalDevice(stats.rdev, drivers)
		? undefined
		: ' is a device, but not a serial port';
}

function boardChoice(port: PortInfo): BoardPortChoice {
	return port.byIdPath
		? { kind: 'board', path: port.path, byIdPath: port.byIdPath }
		: { kind: 'board', path: port.path };
}
