/**
 * `npm run bench`: the speed and memory figures the issues ask for, measured on this machine and printed.
 * Nothing here asserts: figures are for people to read and compare with the aims printed beside them.
 */
import { benchHeap } from './heap.js';
import { printRows } from './measure.js';

printRows('heap core (issue 2)', await benchHeap());
