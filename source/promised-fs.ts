import * as fs from 'node:fs';
import { promisify } from 'node:util';

/**
 * The promised file calls heaptop makes on its way to a first snapshot, made from the callback ones that Node
 * has loaded before any of our code runs, under the names `node:fs/promises` gives them. That module brings
 * `readline`, the directory and the watch modules with it: 1 to 3 ms of every run that reads a file or opens a
 * port (issue 15; 5 ms on its own against `node -e 0`). The same calls, the same errors (`code` and all).
 */
export const access = promisify(fs.access);
export const fstat = promisify(fs.fstat);
export const lstat = promisify(fs.lstat);
export const open = promisify(fs.open);
export const readdir = promisify(fs.readdir);
export const readFile = promisify(fs.readFile);
export const readlink = promisify(fs.readlink);
/** The native one, as fs/promises has it (the JavaScript one walks the path with an lstat a component). */
export const realpath = promisify(fs.realpath.native);
export const stat = promisify(fs.stat);
