import { access, fstat, lstat, open, readdir, readFile, readlink, realpath, stat } from 'node:fs';
import { promisify } from 'node:util';

/**
 * The promised file calls heaptop makes on its way to a first snapshot, made from the callback ones that Node
 * has loaded before any of our code runs. `node:fs/promises` brings `readline`, the directory and the watch
 * modules with it: 1 to 3 ms of every run that reads a file or opens a port (issue 15; 5 ms on its own against
 * `node -e 0`). The same calls, the same errors (`code` and all).
 */
export const promisedFs = {
	access: promisify(access),
	fstat: promisify(fstat),
	lstat: promisify(lstat),
	open: promisify(open),
	readdir: promisify(readdir),
	readFile: promisify(readFile),
	readlink: promisify(readlink),
	// The native one, as fs/promises has it (the JavaScript one walks the path with an lstat a component).
	realpath: promisify(realpath.native),
	stat: promisify(stat),
};
