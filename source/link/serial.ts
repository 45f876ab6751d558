import { autoDetect } from '@serialport/bindings-cpp';
import { SerialPortStream } from '@serialport/stream';
import { access, stat } from '../promised-fs.js';
import type { Link, LinkOptions } from './link.js';
import { PortError } from './link.js';
import { createLinkListeners, writeAllSync } from './listeners.js';

/**
 * A serial port as a link. Opened exclusively (flock), 8N1, DTR and RTS as the OS raises them on open, HUPCL off
 * (link.ts says why). An idle port may not hear its device go away until the next write, so the device node is
 * watched too: its disappearance closes the link as "closed".
 */

/** How often the device node is checked while the link is open. */
const presenceIntervalMs = 500;

/** Turns an open or write failure into the one line for the user. */
export async function serialPortError(error: unknown, path: string): Promise<PortError> {
	const message = error instanceof Error ? error.message : String(error);
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	if (/Cannot lock port|Resource temporarily unavailable|EBUSY|busy/i.test(message) || code === 'EBUSY') {
		return new PortError(
			'busy',
			path,
			`${path} is busy: another program holds it (mpremote, a serial monitor, another heaptop); close it and try again`,
		);
	}
	if (/Permission denied|EACCES/i.test(message) || code === 'EACCES') {
		const gid = await stat(path).then(
			(info) => ` (group id ${info.gid})`,
			() => '',
		);
		return new PortError(
			'permission',
			path,
			`no permission to open ${path}${gid}: add yourself to its group, e.g. sudo usermod -aG dialout $USER, then log in again`,
		);
	}
	if (/No such file|ENOENT/i.test(message) || code === 'ENOENT') {
		// Loaded only here: listing ports pulls in serialport's discovery, which an open that works never needs.
		const { existingPortPaths } = await import('../sources/ports.js');
		const paths = await existingPortPaths().catch(() => []);
		const list = paths.length > 0 ? `ports here: ${paths.join(', ')}` : 'no serial ports found';
		return new PortError('missing', path, `${path} does not exist (${list}); run heaptop ports`);
	}
	if (/ENOTTY|Inappropriate ioctl|Not a typewriter/i.test(message) || code === 'ENOTTY') {
		return new PortError('not-serial', path, `${path} is not a serial port; run heaptop ports to see the ports here`);
	}
	return new PortError('closed', path, `could not use ${path}: ${message.split('\n')[0]}`);
}

/** Opens `path` (following `followId` when the path has gone and the by-id name points elsewhere now). */
export async function openSerialLink(spec: string, options: LinkOptions = {}): Promise<Link> {
	let path = spec;
	if (options.followId) {
		const { followById } = await import('../sources/ports.js');
		const followed = await followById(options.followId);
		if (followed) path = followed;
	}
	const stream = new SerialPortStream({
		binding: autoDetect(),
		path,
		baudRate: options.baudRate ?? 115200,
		autoOpen: false,
		lock: true,
		hupcl: false,
	});
	try {
		await new Promise<void>((resolve, reject) => stream.open((error) => (error ? reject(error) : resolve())));
	} catch (error) {
		throw await serialPortError(error, path);
	}

	// A UART keeps nothing for a late listener, and neither does the serial link.
	const listeners = createLinkListeners(0);
	let state: 'open' | 'lost' | 'closed' = 'open';
	let closing: Promise<void> | undefined;

	function lost(error?: unknown): void {
		if (state !== 'open') return;
		state = 'lost';
		clearInterval(presence);
		const why =
			error === undefined
				? new PortError('closed', path, `${path} went away (unplugged, or reset onto another port)`)
				: error instanceof PortError
					? error
					: new PortError(
							'closed',
							path,
							`${path} went away: ${error instanceof Error ? error.message : String(error)}`,
						);
		stream.removeAllListeners('data');
		if (stream.isOpen) stream.close(() => undefined);
		listeners.emitClose(why);
	}

	stream.on('data', (chunk: Buffer) => {
		listeners.emitData(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
	});
	stream.on('close', (error?: Error | null) => lost(error ?? undefined));
	stream.on('error', (error: Error) => lost(error));
	const presence = setInterval(() => {
		access(path).catch(() => lost());
	}, presenceIntervalMs);
	// The check must not keep a finished command alive.
	presence.unref();

	const fd = (): number | undefined => {
		const value = (stream.port as { fd?: number | null } | undefined)?.fd;
		return typeof value === 'number' ? value : undefined;
	};

	return {
		kind: 'serial',
		name: path,
		write(bytes) {
			if (options.passive)
				return Promise.reject(new PortError('invalid', path, `${path} is open passively: nothing may be written`));
			if (state !== 'open') return Promise.reject(new PortError('closed', path, `${path} is closed`));
			return new Promise((resolve, reject) => {
				stream.write(Buffer.from(bytes), (error) => {
					if (error) void serialPortError(error, path).then(reject);
					else resolve();
				});
			});
		},
		writeSync(bytes) {
			const descriptor = fd();
			if (options.passive || state !== 'open' || descriptor === undefined) return false;
			try {
				writeAllSync(descriptor, bytes);
				return true;
			} catch {
				return false;
			}
		},
		onData: listeners.onData,
		onClose: listeners.onClose,
		close() {
			closing ??= (async () => {
				const wasOpen = state === 'open';
				state = 'closed';
				clearInterval(presence);
				listeners.clear();
				if (!wasOpen || !stream.isOpen) return;
				await new Promise<void>((resolve) => stream.drain(() => resolve()));
				await new Promise<void>((resolve) => stream.close(() => resolve()));
			})();
			return closing;
		},
	};
}
