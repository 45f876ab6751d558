import { spawn, spawnSync } from 'node:child_process';

/** The built command, run as a user runs it. */
export const cliPath = new URL('../../dist/cli.cjs', import.meta.url).pathname;

/** Runs `heaptop ARGS` to the end, with NO_COLOR cleared so that colour is decided by the pipe alone. */
export function heaptop(
	args: string[],
	options: { input?: string; env?: Record<string, string>; timeoutMs?: number } = {},
) {
	const result = spawnSync(process.execPath, [cliPath, ...args], {
		input: options.input ?? '',
		encoding: 'utf8',
		timeout: options.timeoutMs ?? 30_000,
		env: { ...process.env, NO_COLOR: '', ...options.env },
	});
	return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs `heaptop ARGS`, reads `lines` lines of its stdout, then closes the pipe as `| head` would. */
export function heaptopHead(
	args: string[],
	lines: number,
): Promise<{ lines: string[]; code: number | null; stderr: string }> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [cliPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
		const got: string[] = [];
		let pending = '';
		let stderr = '';
		child.stderr.on('data', (chunk: Buffer) => {
			stderr += chunk.toString();
		});
		child.stdout.on('data', (chunk: Buffer) => {
			pending += chunk.toString();
			const parts = pending.split('\n');
			pending = parts.pop() ?? '';
			for (const part of parts) if (got.length < lines) got.push(part);
			if (got.length >= lines) child.stdout.destroy();
		});
		child.on('error', reject);
		child.on('close', (code) => resolve({ lines: got, code, stderr }));
	});
}

/**
 * Runs `heaptop ARGS` to the end without blocking the event loop (for tests that serve a board meanwhile).
 * `onStderr` sees stderr as it arrives, for a test that acts when heaptop reaches a point.
 */
export function heaptopAsync(
	args: string[],
	options: { env?: Record<string, string>; onStderr?: (soFar: string) => void } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [cliPath, ...args], {
			stdio: ['ignore', 'pipe', 'pipe'],
			env: { ...process.env, NO_COLOR: '', ...options.env },
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk: Buffer) => {
			stdout += chunk.toString();
		});
		child.stderr.on('data', (chunk: Buffer) => {
			stderr += chunk.toString();
			options.onStderr?.(stderr);
		});
		child.on('error', reject);
		child.on('close', (code) => resolve({ code, stdout, stderr }));
	});
}
