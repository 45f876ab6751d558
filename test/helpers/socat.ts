import { spawnSync } from 'node:child_process';

/**
 * Why the suites that put the virtual board behind a pseudo-terminal cannot run here (socat makes the pty), or
 * undefined when they can. Pass as a test's `skip`, so that a machine without socat says so instead of failing.
 */
export function socatSkip(): string | undefined {
	const found = spawnSync('socat', ['-V'], { stdio: 'ignore' }).status === 0;
	return found
		? undefined
		: 'socat is not installed (apt-get install -y socat): the virtual board needs it for its pty';
}
