import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
	choosePort,
	classifyPort,
	describePort,
	listPorts,
	type PortInfo,
	resolvePortName,
} from '../source/sources/ports.js';

function port(path: string, identity: Omit<PortInfo, 'kind' | 'path'>): PortInfo {
	return { path, ...identity, kind: classifyPort(identity) };
}

describe('port names', () => {
	test("mpremote's shortcuts name the usual devices, anything else is a path", () => {
		assert.equal(resolvePortName('a0'), '/dev/ttyACM0');
		assert.equal(resolvePortName('u1'), '/dev/ttyUSB1');
		assert.equal(resolvePortName('c3'), 'COM3');
		assert.equal(resolvePortName('/dev/ttyACM0'), '/dev/ttyACM0');
		assert.equal(resolvePortName('auto'), 'auto');
	});
});

describe('what a port looks like (protocol.md §7)', () => {
	test('VIDs, PIDs and USB strings sort boards from bridges and the rest', () => {
		assert.equal(classifyPort({ vendorId: 'f055', productId: '9802' }), 'micropython');
		assert.equal(classifyPort({ vendorId: '2e8a', productId: '0005' }), 'micropython');
		assert.equal(classifyPort({ vendorId: '2e8a', productId: '0003' }), 'other');
		assert.equal(classifyPort({ vendorId: '239a', productId: '80f4' }), 'python-board');
		assert.equal(
			classifyPort({ vendorId: '239a', manufacturer: 'Adafruit', product: 'CircuitPython CDC control' }),
			'circuitpython',
		);
		assert.equal(classifyPort({ vendorId: '303a', productId: '4001', manufacturer: 'MicroPython' }), 'micropython');
		assert.equal(classifyPort({ vendorId: '10c4', productId: 'ea60' }), 'usb-serial');
		assert.equal(classifyPort({ vendorId: '1a86', productId: '7523' }), 'usb-serial');
		assert.equal(classifyPort({}), 'other');
	});

	test('one board is chosen; several ask for --port; none says which ports were seen', () => {
		const pico = port('/dev/ttyACM0', { vendorId: '2e8a', productId: '0005', manufacturer: 'MicroPython' });
		const bridge = port('/dev/ttyUSB0', { vendorId: '10c4', productId: 'ea60' });
		const feather = port('/dev/ttyACM1', { vendorId: '239a', productId: '80f2' });
		assert.deepEqual(choosePort([pico, bridge]), { kind: 'one', port: pico });
		const several = choosePort([pico, feather]);
		assert.equal(several.kind, 'several');
		assert.match(several.kind === 'several' ? several.message : '', /\/dev\/ttyACM0, \/dev\/ttyACM1.*--port/);
		const none = choosePort([bridge]);
		assert.equal(none.kind, 'none');
		assert.match(none.kind === 'none' ? none.message : '', /ports seen: \/dev\/ttyUSB0 · 10c4:ea60/);
		assert.match(
			choosePort([]).kind === 'none' ? (choosePort([]) as { message: string }).message : '',
			/no serial ports seen/,
		);
	});

	test('a port is described in one line with path, VID:PID, maker and serial number', () => {
		const pico = port('/dev/ttyACM0', {
			vendorId: '2e8a',
			productId: '0005',
			manufacturer: 'MicroPython',
			product: 'Board in FS mode',
			serialNumber: 'e6614864d3798d36',
		});
		assert.equal(
			describePort(pico),
			'/dev/ttyACM0 · 2e8a:0005 · MicroPython Board in FS mode · serial e6614864d3798d36 · MicroPython board',
		);
	});
});

describe('listing', () => {
	test('without udev the listing falls back to /dev and sysfs instead of failing', { timeout: 10_000 }, async () => {
		const listing = await listPorts();
		assert.ok(Array.isArray(listing.ports));
		if (listing.method === 'fallback') assert.ok(listing.listError, 'the reason serialport could not list is kept');
		for (const found of listing.ports) assert.match(found.path, /^\/dev\//);
	});
});
