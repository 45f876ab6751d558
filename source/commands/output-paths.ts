import { closeSync, constants, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { UsageError } from './errors.js';

/**
 * The paths heaptop is asked to create (`--record FILE`, `emulate --pty PATH`), checked before anything starts:
 * a path that cannot be made (a missing folder, a folder, no permission) is one line naming the flag, exit 2,
 * instead of a session that records nothing or a raw error from socat. A failure later on (a full disk) is a
 * runtime failure, reported where the writes are.
 */

/** The words for a failed file-system call on `path`, as a user reads them. */
export function pathErrorWords(error: unknown, path: string): string {
	const code = (error as NodeJS.ErrnoException).code;
	switch (code) {
		case 'ENOENT':
			return `there is no folder ${dirname(path)}`;
		case 'EISDIR':
			return 'that is a folder; give a file';
		case 'EACCES':
		case 'EPERM':
			return 'permission denied';
		case 'ENOTDIR':
			return `${dirname(path)} is not a folder`;
		case 'EROFS':
			return 'the file system is read-only';
		case 'ELOOP':
			return 'it is a symbolic link, which heaptop does not write through';
		default:
			return code ?? String(error);
	}
}

/**
 * `--record FILE`: opened for appending (and created) now, so that it can be written later; as the recorder
 * opens it, never through a symbolic link, which a plain 'a' would follow and create the target of.
 */
export function checkRecordFile(path: string): void {
	let fd: number;
	try {
		fd = openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, 0o644);
	} catch (error) {
		throw new UsageError(`--record ${path}: ${pathErrorWords(error, path)}`);
	}
	closeSync(fd);
}

/** `--pty PATH`: the link is made later by socat, in a folder that must exist now. */
export function checkPtyPath(path: string): void {
	const folder = dirname(path);
	try {
		if (!statSync(folder).isDirectory()) throw Object.assign(new Error(folder), { code: 'ENOTDIR' });
	} catch (error) {
		throw new UsageError(`--pty ${path}: ${pathErrorWords(error, path)}`);
	}
}
