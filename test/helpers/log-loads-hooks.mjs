/** The resolve hook of log-loads.mjs: runs on Node's hooks thread, and writes each file URL it resolves. */
import { appendFileSync } from 'node:fs';

let file;

export function initialize(data) {
	file = data.file;
}

export async function resolve(specifier, context, nextResolve) {
	const result = await nextResolve(specifier, context);
	if (result.url.startsWith('file:')) appendFileSync(file, `${result.url}\n`);
	return result;
}
