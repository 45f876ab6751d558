/**
 * The bench's Node floor for `heaptop --once --json --port`: pyboard.py's exchange (the byte sequence of
 * pyboard-sequence.py) in as little Node as can do it, on the same native addon heaptop opens ports with
 * (@serialport/bindings-cpp's, found by node-gyp-build), with no stream, no framing checks and no recovery.
 * What this costs over `node -e 0` is what any Node program pays to read one dump; heaptop's own cost is what
 * it takes beyond this.
 *
 * CommonJS, as heaptop's start is: Node starts an ES module main through its module loader, which costs some
 * milliseconds that neither needs.
 *
 * Usage: node node-floor.cjs PORT COMMAND
 */
const { read, write } = require('node:fs');
const { dirname } = require('node:path');

const addon = require('node-gyp-build')(dirname(require.resolve('@serialport/bindings-cpp/package.json')));
const [path, command] = process.argv.slice(2);

async function exchange() {
	const fd = await new Promise((resolve, reject) =>
		addon.open(
			path,
			{
				baudRate: 115200,
				dataBits: 8,
				parity: 'none',
				stopBits: 1,
				rtscts: false,
				xon: false,
				xoff: false,
				xany: false,
				hupcl: false,
				lock: true,
				vmin: 1,
				vtime: 0,
			},
			(error, opened) => (error ? reject(error) : resolve(opened)),
		),
	);
	const poller = new addon.Poller(fd, () => pump());
	const buffer = Buffer.alloc(65536);
	let seen = Buffer.alloc(0);
	let waiting;
	let reading = false;
	// Set at the end: no more reads, and the last one in flight is waited for before the port closes (closing it
	// under a read, or with the poller still watching it, aborted the process now and then).
	let closing = false;
	let lastRead;

	/** Reads until nothing is there, then asks the poller to call back when something is; one read at a time. */
	function pump() {
		if (reading || closing) return;
		reading = true;
		read(fd, buffer, 0, buffer.length, null, (error, count) => {
			reading = false;
			if (closing) return lastRead?.();
			if (error?.code === 'EAGAIN' || count === 0) return poller.poll(1);
			if (error) throw error;
			seen = Buffer.concat([seen, buffer.subarray(0, count)]);
			waiting?.();
			pump();
		});
	}

	/** Resolves when more bytes have come. */
	const more = () =>
		new Promise((resolve) => {
			waiting = resolve;
		});

	/** Waits until `ending` has come; returns what came up to it and keeps what follows. */
	async function until(ending) {
		for (;;) {
			const at = seen.indexOf(ending, 0, 'latin1');
			if (at >= 0) {
				const got = seen.subarray(0, at);
				seen = seen.subarray(at + ending.length);
				return got;
			}
			await more();
		}
	}

	const send = (bytes) =>
		new Promise((resolve, reject) =>
			write(fd, Buffer.from(bytes, 'latin1'), (error) => (error ? reject(error) : resolve())),
		);

	pump();
	await send('\r\x01');
	await until('raw REPL; CTRL-B to exit\r\n>');
	await send('\x05A\x01');
	while (seen.length < 2) await more();
	if (seen[0] === 0x52 && seen[1] === 0x01) {
		// Raw-paste granted: R, 1 and the window's two bytes; the command is shorter than any window.
		while (seen.length < 4) await more();
		seen = seen.subarray(4);
		await send(`${command}\x04`);
		await until('\x04');
	} else {
		// No raw-paste: R and 0, or an older firmware that took the bytes as a command and printed its prompt again.
		if (seen[0] === 0x52 && seen[1] === 0x00) seen = seen.subarray(2);
		else await until('raw REPL; CTRL-B to exit\r\n>');
		await send(`${command}\x04`);
		await until('OK');
	}
	process.stdout.write(await until('\x04'));
	await until('\x04>');
	await send('\r\x02');
	closing = true;
	if (reading)
		await new Promise((resolve) => {
			lastRead = resolve;
		});
	poller.stop();
	await new Promise((resolve) => addon.close(fd, resolve));
}

exchange();
