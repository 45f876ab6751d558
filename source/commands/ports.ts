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

/** Where to find the board, or why the demo runs instead. */
export type BoardPortChoice = { kind: 'board'; path: string; byIdPath?: string } | { kind: 'demo'; reason: string };

/**
 * Resolves `--port`. A path or shortcut is taken as given (its errors come when it is opened). Without `--port`
 * or with `auto`: the one board-looking port; several are a usage error listing them; none means the demo.
 */
export async function chooseBoardPort(flag: string | undefined): Promise<BoardPortChoice> {
	if (flag !== undefined && flag !== 'auto') return { kind: 'board', path: resolvePortName(flag) };
	const { ports } = await listPorts();
	const choice = choosePort(ports);
	if (choice.kind === 'one') return boardChoice(choice.port);
	if (choice.kind === 'several') throw new UsageError(choice.message);
	return { kind: 'demo', reason: choice.message };
}

function boardChoice(port: PortInfo): BoardPortChoice {
	return port.byIdPath
		? { kind: 'board', path: port.path, byIdPath: port.byIdPath }
		: { kind: 'board', path: port.path };
}
