import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startFailureLine } from '../source/commands/board-session.js';

// The one line a printing command ends with: the next step depends on the link, since a serial board is
// plugged back in and a network one comes back when its server or its Wi-Fi does.

test('a lost link: unplugged for a serial port, closed by the server or the board for the network links', () => {
	const lost = (where: string) => startFailureLine({ kind: 'disconnected', message: `${where} went away`, where });
	assert.equal(
		lost('/dev/ttyACM0'),
		'/dev/ttyACM0 went away (unplugged, or reset onto another port): run heaptop again once it is back',
	);
	for (const where of ['socket://10.0.0.2:2217', 'rfc2217://pi.local:2217']) {
		assert.equal(
			lost(where),
			`${where} closed the connection (the server stopped, or gave the port to another client): run heaptop again once it is back`,
		);
	}
	assert.match(
		lost('ws://192.168.4.1:8266'),
		/^ws:\/\/192\.168\.4\.1:8266 closed the connection \(board reset, Wi-Fi lost/,
	);
});

test('silence: the cable and baud rate for a serial port, the server side of a bridge, a reset for a WebREPL', () => {
	const silent = (where: string) => startFailureLine({ kind: 'not-answering', message: 'silent', where });
	assert.match(silent('/dev/ttyUSB0'), /check the cable and the baud rate; /);
	assert.match(
		silent('socket://10.0.0.2:2217'),
		/check the server's serial device and baud rate, and that the board is on; /,
	);
	assert.match(silent('ws://192.168.4.1:8266'), /logged in but its REPL is not answering: reset the board/);
	// And the one step that ends a command a cut-off client left the board in, with the command when there is one.
	assert.match(silent('/dev/ttyUSB0'), /answers only to Ctrl-C: heaptop --port \/dev\/ttyUSB0 --interrupt$/);
	assert.match(
		startFailureLine({ kind: 'not-answering', message: 'silent', where: '/dev/ttyUSB0' }, 'imports'),
		/answers only to Ctrl-C: heaptop imports --port \/dev\/ttyUSB0 --interrupt$/,
	);
});

test('a busy board names --interrupt, with the command when there is one; other problems keep their line', () => {
	const busy = { kind: 'busy', message: 'busy', where: 'socket://10.0.0.2:2217' };
	assert.match(startFailureLine(busy), /add --interrupt \(heaptop --port socket:\/\/10\.0\.0\.2:2217 --interrupt\)/);
	assert.match(startFailureLine(busy, 'profile'), /run heaptop profile --port socket:\/\/10\.0\.0\.2:2217 --interrupt/);
	assert.equal(startFailureLine({ kind: 'port', message: 'the one line', where: '/dev/x' }), 'the one line');
});

test('a reply cut or trickling in the middle keeps its own line, without the live screen’s “trying again”', () => {
	const where = '/dev/ttyUSB0';
	const message = `${where} stopped answering in the middle of a reply, or sent it too slowly ever to end (under 64 B in 10 s): trying again by itself`;
	assert.equal(
		startFailureLine({ kind: 'not-answering', message, where }),
		`${where} stopped answering in the middle of a reply, or sent it too slowly ever to end (under 64 B in 10 s)`,
	);
	assert.equal(
		startFailureLine({ kind: 'damaged', message: `the dump was damaged on the way (${message})`, where }),
		`the dump was damaged on the way (${where} stopped answering in the middle of a reply, or sent it too slowly ever to end (under 64 B in 10 s))`,
	);
});
