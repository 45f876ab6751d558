import { join, relative } from 'node:path';
import { readdir, readFile } from '../promised-fs.js';
import type { MeasureTarget } from './target.js';

/** Bytes of file content per command: small, so that copying a module never fills a small heap. */
const CHUNK_BYTES = 512;

async function pythonFiles(directory: string, root = directory): Promise<string[]> {
	const found: string[] = [];
	for (const entry of await readdir(directory, { withFileTypes: true })) {
		const path = join(directory, entry.name);
		if (entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== '__pycache__') {
			found.push(...(await pythonFiles(path, root)));
		} else if (entry.isFile() && entry.name.endsWith('.py')) {
			found.push(relative(root, path));
		}
	}
	return found.sort();
}

/**
 * Copies the `.py` files under `directory` (packages included) into `/lib` on the target, where `import`
 * finds them, the way `mpremote cp` does: Python on the target writes each file in small chunks.
 * Returns the paths copied, relative to `directory`.
 */
export async function installPythonFiles(target: MeasureTarget, directory: string): Promise<string[]> {
	const files = await pythonFiles(directory);
	const folders = new Set<string>(['/lib']);
	for (const file of files) {
		const parts = file.split('/').slice(0, -1);
		for (let depth = 1; depth <= parts.length; depth++) folders.add(`/lib/${parts.slice(0, depth).join('/')}`);
	}
	const mkdirs = [...folders].map(
		(folder) => `try:\n    os.mkdir(${JSON.stringify(folder)})\nexcept OSError:\n    pass`,
	);
	const made = await target.exec(`import os\n${mkdirs.join('\n')}\ndel os`);
	if (made.exception)
		throw new Error(`cannot make /lib on the target: ${made.exception.traceback.trim().split('\n').at(-1)}`);
	for (const file of files) {
		const bytes = await readFile(join(directory, file));
		const destination = JSON.stringify(`/lib/${file}`);
		for (let offset = 0; offset === 0 || offset < bytes.length; offset += CHUNK_BYTES) {
			const chunk = bytes.subarray(offset, offset + CHUNK_BYTES);
			// A bytes literal of \xNN escapes survives any content, quotes and newlines included.
			const literal = `b'${[...chunk].map((byte) => `\\x${byte.toString(16).padStart(2, '0')}`).join('')}'`;
			const mode = offset === 0 ? "'wb'" : "'ab'";
			const written = await target.exec(`with open(${destination}, ${mode}) as f:\n    f.write(${literal})`);
			if (written.exception) {
				throw new Error(
					`cannot write /lib/${file} on the target: ${written.exception.traceback.trim().split('\n').at(-1)}`,
				);
			}
		}
	}
	return files;
}
