import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
	comPortCommand,
	comPortMessage,
	createTelnetPeer,
	escapeIac,
	IAC,
	parseComPort,
	telnetOption,
} from '../source/protocol/telnet.js';

const { binary, suppressGoAhead, comPort } = telnetOption;
const client = () => createTelnetPeer({ local: [binary, suppressGoAhead, comPort], remote: [binary, suppressGoAhead] });
const server = () => createTelnetPeer({ local: [binary, suppressGoAhead], remote: [binary, suppressGoAhead, comPort] });

/** Runs two peers against each other until neither has anything to say; returns the rounds it took. */
function converse(a: ReturnType<typeof client>, b: ReturnType<typeof server>): number {
	let toB = a.greeting();
	let toA = b.greeting();
	for (let round = 1; round < 20; round++) {
		const atB = b.push(toB);
		const atA = a.push(toA);
		toB = atA.reply;
		toA = atB.reply;
		if (toA.length === 0 && toB.length === 0) return round;
	}
	return Number.POSITIVE_INFINITY;
}

describe('telnet framing', () => {
	test('a data byte 0xFF goes out doubled and comes back single', () => {
		const data = new Uint8Array([1, IAC, 2, IAC, IAC]);
		const framed = escapeIac(data);
		assert.deepEqual([...framed], [1, IAC, IAC, 2, IAC, IAC, IAC, IAC]);
		assert.deepEqual([...client().push(framed).data], [...data]);
	});

	test('data split anywhere, even between the two bytes of an escape, comes out the same', () => {
		const data = new Uint8Array(Array.from({ length: 300 }, (_, index) => (index * 37) & 0xff));
		const framed = escapeIac(data);
		for (const size of [1, 2, 3, 7, 64]) {
			const peer = client();
			const out: number[] = [];
			for (let at = 0; at < framed.length; at += size) out.push(...peer.push(framed.subarray(at, at + size)).data);
			assert.deepEqual(out, [...data], `chunks of ${size}`);
		}
	});

	test('two peers agree on binary, suppress-go-ahead and COM-PORT, and stop talking', () => {
		const a = client();
		const b = server();
		assert.ok(converse(a, b) < 5, 'negotiation ends');
		for (const option of [binary, suppressGoAhead]) {
			assert.ok(a.remoteEnabled(option) && b.remoteEnabled(option) && a.localEnabled(option));
		}
		assert.ok(a.localEnabled(comPort) && b.remoteEnabled(comPort), 'the client performs COM-PORT');
	});

	test('an option nobody wants is refused once, never looped on', () => {
		const peer = client();
		const echo = 1;
		const first = peer.push(new Uint8Array([IAC, 0xfb, echo, IAC, 0xfd, 24]));
		assert.deepEqual([...first.reply], [IAC, 0xfe, echo, IAC, 0xfc, 24]);
		assert.deepEqual(
			first.events.map((event) => event.type),
			['will', 'do'],
		);
		assert.equal(peer.push(new Uint8Array([IAC, 0xfc, echo])).reply.length, 0, 'a WONT to our DONT is not answered');
	});

	test('COM-PORT messages: a baud rate is four bytes big-endian, and an answer parses back', () => {
		const set = comPortMessage(comPortCommand.setBaudRate, 115200, 4);
		assert.deepEqual([...set], [IAC, 0xfa, comPort, 1, 0x00, 0x01, 0xc2, 0x00, IAC, 0xf0]);
		const peer = server();
		const { events, data } = peer.push(new Uint8Array([0x41, ...set, 0x42]));
		assert.deepEqual([...data], [0x41, 0x42]);
		const [event] = events;
		assert.ok(event);
		assert.deepEqual(parseComPort(event), { command: 1, value: 115200 });
	});

	test('a 0xFF inside a subnegotiation is escaped and read back', () => {
		const message = comPortMessage(comPortCommand.setBaudRate, 0xff00ff00, 4);
		const [event] = client().push(message).events;
		assert.ok(event);
		assert.deepEqual(parseComPort(event), { command: 1, value: 0xff00ff00 });
	});

	test('an endless subnegotiation keeps memory bounded and data flows once it ends', () => {
		const peer = client();
		const noise = new Uint8Array(100_000).fill(7);
		const first = peer.push(new Uint8Array([IAC, 0xfa, comPort, ...noise.subarray(0, 10)]));
		assert.equal(first.data.length, 0);
		peer.push(noise);
		const end = peer.push(new Uint8Array([IAC, 0xf0, 0x33]));
		assert.deepEqual([...end.data], [0x33]);
		const [event] = end.events;
		assert.ok(event?.type === 'subnegotiation' && event.payload.length <= 64);
	});

	test('other telnet commands (NOP, go-ahead) are dropped from the data', () => {
		const { data, events } = client().push(new Uint8Array([0x61, IAC, 0xf1, 0x62, IAC, 0xf9, 0x63]));
		assert.deepEqual([...data], [0x61, 0x62, 0x63]);
		assert.equal(events.length, 0);
	});
});
