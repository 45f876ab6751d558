import { SerialPort } from 'serialport';

/**
 * Types one line at the board's friendly REPL, as a user with a terminal would, and returns what came back up
 * to the next prompt. Rejects after `timeoutMs` with what it got, so a board left in the raw REPL fails the
 * test instead of hanging it.
 */
export async function friendly(path: string, line: string, timeoutMs = 5000): Promise<string> {
	const port = new SerialPort({ path, baudRate: 115200, autoOpen: false });
	await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
	let received = '';
	let timer: NodeJS.Timeout | undefined;
	try {
		await new Promise<void>((resolve, reject) => {
			timer = setTimeout(
				() => reject(new Error(`no friendly prompt after ${line}: got ${JSON.stringify(received)}`)),
				timeoutMs,
			);
			port.on('data', (chunk: Buffer) => {
				received += chunk.toString('latin1');
				// The echo of the line, then its output, then the next prompt.
				if (received.includes(line) && received.endsWith('>>> ')) resolve();
			});
			port.write(`${line}\r`);
		});
	} finally {
		clearTimeout(timer);
		await new Promise<void>((resolve) => port.close(() => resolve()));
	}
	return received;
}

/** Writes raw bytes to the board (a Ctrl-E, half a paste) and waits until what came back ends with `until`. */
export async function typeRaw(path: string, bytes: string, until: string, timeoutMs = 5000): Promise<string> {
	const port = new SerialPort({ path, baudRate: 115200, autoOpen: false });
	await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
	let received = '';
	let timer: NodeJS.Timeout | undefined;
	try {
		await new Promise<void>((resolve, reject) => {
			timer = setTimeout(
				() => reject(new Error(`no ${JSON.stringify(until)}: got ${JSON.stringify(received)}`)),
				timeoutMs,
			);
			port.on('data', (chunk: Buffer) => {
				received += chunk.toString('latin1');
				if (received.endsWith(until)) resolve();
			});
			port.write(Buffer.from(bytes, 'latin1'));
		});
	} finally {
		clearTimeout(timer);
		await new Promise<void>((resolve) => port.close(() => resolve()));
	}
	return received;
}
