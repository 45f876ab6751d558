/**
 * `npm run bench`: the speed and memory figures the issues ask for, measured on this machine and printed.
 * Nothing here asserts: figures are for people to read and compare with the aims printed beside them.
 */
import { benchEmulator } from './emulator.js';
import { benchHeap } from './heap.js';
import { benchInspectInput } from './inspect-input.js';
import { benchLinkShare } from './link-share.js';
import { printRows } from './measure.js';
import { benchReplay } from './replay.js';
import { benchScreen } from './screen.js';
import { benchSerial } from './serial.js';
import { benchStartup } from './startup.js';
import { benchTui } from './tui.js';
import { benchWhy } from './why.js';

printRows('start-up against the peers, interleaved runs (issue 15)', await benchStartup());
printRows('heap core (issue 2)', await benchHeap());
printRows('emulated board (issue 3)', await benchEmulator());
printRows('TUI (issue 4)', await benchTui());
printRows('serial board (issue 5)', await benchSerial());
printRows('slow link: 115200 baud, auto-refresh (issue 15)', await benchLinkShare());
printRows('replay', await benchReplay());
printRows('live screen: fit map and bytes to the terminal (issue 13)', await benchScreen());
printRows('why: fit, blockers, pinned (issue 14)', await benchWhy());
printRows('inspect on hostile-sized input (issue 11)', await benchInspectInput());
