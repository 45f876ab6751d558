import { readFile } from '../promised-fs.js';
import { UsageError } from './errors.js';

/** A file the user named that cannot be read, as a UsageError saying why in plain words. */
export function userFileError(path: string, error: unknown): UsageError {
	if (error instanceof UsageError) return error;
	const code = (error as NodeJS.ErrnoException).code;
	const why =
		code === 'ENOENT'
			? 'no such file'
			: code === 'EACCES'
				? 'permission denied'
				: code === 'EISDIR'
					? 'it is a folder'
					: String(code ?? error);
	return new UsageError(`cannot read ${path}: ${why}`);
}

/** Reads a file the user named; a file that cannot be read is a UsageError saying why in plain words. */
export async function readUserFile(path: string): Promise<string> {
	try {
		return await readFile(path, 'utf8');
	} catch (error) {
		throw userFileError(path, error);
	}
}
