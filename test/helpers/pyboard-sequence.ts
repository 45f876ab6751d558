import { SerialPort } from 'serialport';
import { latin1Text } from '../../source/protocol/bytes.js';

/**
 * The byte sequence MicroPython's tools/pyboard.py sends to run one command, driven by hand from the test
 * (never pyboard.py's code): `\r\x03` and a wait for the prompt, `\r\x01` and the raw banner (no soft reset, as
 * `enter_raw_repl(soft_reset=False)`), the raw-paste request `\x05A\x01`, the code within the window, `\x04`,
 * the frame up to `\x04>`, then `\r\x02` back to the friendly REPL. Returns the command's stdout.
 */
export async function runAsPyboard(path: string, code: string, timeoutMs = 10_000): Promise<string> {
	const [stdout = ''] = await runAllAsPyboard(path, [code], timeoutMs);
	return stdout;
}

/** The same, for several commands in one raw-REPL session; returns each one's stdout. */
export async function runAllAsPyboard(path: string, codes: readonly string[], timeoutMs = 10_000): Promise<string[]> {
	const port = new SerialPort({ path, baudRate: 115200, autoOpen: false });
	await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
	let received = '';
	const waiters: { until: (text: string) => boolean; resolve: () => void }[] = [];
	port.on('data', (chunk: Buffer) => {
		received += chunk.toString('latin1');
		for (const waiter of [...waiters]) {
			if (waiter.until(received)) {
				waiters.splice(waiters.indexOf(waiter), 1);
				waiter.resolve();
			}
		}
	});
	const deadline = Date.now() + timeoutMs;
	const waitFor = (until: (text: string) => boolean, what: string) =>
		new Promise<void>((resolve, reject) => {
			if (until(received)) {
				resolve();
				return;
			}
			const timer = setTimeout(
				() => reject(new Error(`pyboard sequence: no ${what}; got ${JSON.stringify(received.slice(-200))}`)),
				Math.max(0, deadline - Date.now()),
			);
			waiters.push({
				until,
				resolve: () => {
					clearTimeout(timer);
					resolve();
				},
			});
		});
	const write = (bytes: string) =>
		new Promise<void>((resolve, reject) =>
			port.write(Buffer.from(bytes, 'latin1'), (e) => (e ? reject(e) : resolve())),
		);
	try {
		await write('\r\x03');
		await waitFor((text) => text.endsWith('>>> '), 'friendly prompt after Ctrl-C');
		received = '';
		await write('\r\x01');
		await waitFor((text) => text.endsWith('raw REPL; CTRL-B to exit\r\n>'), 'raw banner');
		const outputs: string[] = [];
		for (const code of codes) {
			received = '';
			await write('\x05A\x01');
			await waitFor((text) => text.length >= 4 && text.startsWith('R\x01'), 'raw-paste window');
			const window = received.charCodeAt(2) | (received.charCodeAt(3) << 8);
			received = received.slice(4);
			const bytes = Buffer.from(code, 'utf8');
			for (let sent = 0; sent < bytes.length; sent += window) {
				if (sent > 0) {
					await waitFor((text) => text.includes('\x01'), 'window credit');
					received = received.replace('\x01', '');
				}
				await write(bytes.subarray(sent, sent + window).toString('latin1'));
			}
			await write('\x04');
			// The frame: `\x04` (end of data taken), stdout, `\x04`, the traceback, `\x04>`.
			await waitFor((text) => text.split('\x04').length >= 4 && text.endsWith('\x04>'), 'end of the frame');
			outputs.push(latin1Text(Buffer.from(received.split('\x04')[1] ?? '', 'latin1')));
		}
		received = '';
		await write('\r\x02');
		await waitFor((text) => text.endsWith('>>> '), 'friendly prompt after Ctrl-B');
		return outputs;
	} finally {
		await new Promise<void>((resolve) => port.close(() => resolve()));
	}
}
