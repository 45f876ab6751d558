import { closeSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { UsageError } from './errors.js';

/**
 * `--record FILE` is opened for appending before anything starts, so that a path that cannot be a recording
 * (a missing folder, a folder, no permission) is one line and exit 2 at once, instead of a session that
 * records nothing. A failure later on (a full disk) is a runtime failure, reported where the writes are.
 */
export function checkRecordFile(path: string): void {
	let fd: number;
	try {
		fd = openSync(path, 'a');
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		const why =
			code === 'ENOENT'
				? `there is no folder ${dirname(path)}`
				: code === 'EISDIR'
					? 'that is a folder; give a file to append to'
					: code === 'EACCES' || code === 'EPERM'
						? 'permission denied'
						: code === 'ENOTDIR'
							? `${dirname(path)} is not a folder`
							: (code ?? String(error));
		throw new UsageError(`--record ${path}: ${why}`);
	}
	closeSync(fd);
}
