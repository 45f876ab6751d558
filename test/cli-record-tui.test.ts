import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { hasTmux, startPane } from './helpers/tmux.js';

// A recording that fails under the live screen (a full disk): the screen keeps running, and once it is gone
// the line is there to read and the exit code is 1, never 0 with nothing recorded.
const root = new URL('..', import.meta.url).pathname;
const cli = `${root}dist/cli.cjs`;
const EXITED = /heaptop exited (\d+)/;

function skipReason(): string | false {
	if (!hasTmux()) return 'tmux is not installed (apt-get install -y tmux)';
	if (!existsSync('/dev/full')) return 'no /dev/full here';
	if (!existsSync(cli)) return 'dist/cli.cjs is missing: run npm run build';
	return false;
}

test(
	'heaptop --demo --record /dev/full: the failure is said after the screen, exit 1',
	{ skip: skipReason() },
	async () => {
		const pane = startPane({
			command: `node ${cli} --demo --record /dev/full; echo "heaptop exited $?"; exec sleep 600`,
			columns: 80,
			rows: 24,
			cwd: root,
		});
		try {
			await pane.waitFor((text) => text.includes('q quit') && text.includes('live'), 'the live screen');
			pane.sendKeys('q');
			const after = await pane.waitFor((text) => EXITED.test(text), 'heaptop to exit');
			assert.equal(after.match(EXITED)?.[1], '1', after);
			const lines = after.split('\n').filter((line) => line.trim() !== '');
			const said = lines.filter((line) => line.startsWith('heaptop: '));
			assert.deepEqual(said, ['heaptop: recording to /dev/full stopped: ENOSPC'], after);
		} finally {
			pane.kill();
		}
	},
);
