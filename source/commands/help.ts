import { toAscii } from '../present/ascii.js';
import type { HelpLine } from '../ui/state/command-types.js';
import { KEY_HELP } from '../ui/state/commands.js';
import { optionLines } from './flags.js';

/**
 * The text of `heaptop --help`: the commands (written here), the options (from the flag table) and the keys
 * of the live screen (from the screen's own key table), so that neither list can drift from what heaptop does.
 */

const usage = `  Usage
    $ heaptop                        the one board plugged in; else the demo, saying why
    $ heaptop --port PORT            that board (a path, auto, or mpremote's a0, u0, c0)
    $ heaptop --listen --port PORT   watch a running program's own dumps; never writes to the board
    $ heaptop --demo [SCENARIO]      the emulated board: the real MicroPython VM, running a scenario
    $ heaptop ports                  serial ports, and which look like MicroPython boards
    $ heaptop listen --snippet       the lines to add to your program for --listen
    $ heaptop inspect FILE|-         a saved or pasted mem_info(1) dump ("-" reads standard input)
    $ heaptop run SCRIPT.py          run a script on the emulated board, then show its heap
    $ heaptop replay FILE            a recording made with --record: [ ] step, space plays
    $ heaptop imports MOD...         what each import keeps on the heap (emulated, or --port PORT)
    $ heaptop profile SCRIPT.py      what each top-level statement keeps, and the garbage it leaves
                                     (emulated, or --port PORT: runs in the board's namespace)
    $ heaptop emulate --pty PATH     the emulated board behind a pseudo-terminal, for serial tools
    $ heaptop emulate --tcp HOST:PORT  ... on the network; also --rfc2217 or --webrepl HOST:PORT`;

const examples = `  Examples
    $ heaptop --demo fragmentation
    $ heaptop --demo --once --json | jq .metrics.fragmentation
    $ mpremote exec "import micropython; micropython.mem_info(1)" | heaptop inspect -
    $ heaptop imports json --path ./lib
    $ heaptop run main.py --heap 64k --timeout 10s
    $ heaptop profile main.py --heap 64k
    $ heaptop imports ssd1306 framebuf --port a0 --fresh

  Exit codes: 0 fine, 1 runtime failure, 2 bad usage or bad input.`;

/** The key column is as wide as the widest keys in the table, so that no line runs into its words. */
const keyWidth = Math.max(...KEY_HELP.map((entry) => toAscii(entry.keys).length)) + 2;

function keyLines(entries: readonly HelpLine[]): string[] {
	return entries.map((entry) => {
		// The overlay's own line is about opening and closing it; from the command line, it is how to open it.
		const what = entry.what === 'open or close this help' ? 'this list, on the screen (Esc closes it)' : entry.what;
		return `    ${toAscii(entry.keys).padEnd(keyWidth)}${toAscii(what)}`;
	});
}

/** The lines about the keys: those of every live screen, then the demo's and a replay's own. */
export function keysHelp(): string[] {
	const live = KEY_HELP.filter((entry) => entry.only === undefined || entry.only === 'live');
	return [
		'  Keys in the live screen',
		...keyLines(live),
		'  and in the demo',
		...keyLines(KEY_HELP.filter((entry) => entry.only === 'demo')),
		'  and in a replay (in place of the live keys above)',
		...keyLines(KEY_HELP.filter((entry) => entry.only === 'replay')),
	];
}

/** The whole `--help` text, with its description line first. */
export function helpText(description: string): string {
	return [
		'',
		`  ${description}`,
		'',
		usage,
		'',
		'  Options',
		...optionLines('main'),
		'',
		'  Options of emulate (faults are for testing serial tools)',
		...optionLines('emulate'),
		'',
		...keysHelp(),
		'',
		examples,
		'',
	].join('\n');
}
