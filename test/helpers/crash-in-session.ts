import { createBoardSource } from '../../source/sources/board.js';

/*
 * A process that crashes while it holds a board session, for the exit-guard tests: `node --import tsx
 * crash-in-session.ts PORT MODE`. MODE is `exception` or `rejection`, with `-mid-exec` when our own command
 * (a statement that sleeps) is still running on the board at the moment of the crash.
 */
const [port = '', mode = 'exception'] = process.argv.slice(2);
const board = createBoardSource({ port });
const started = await board.start();
if (!started.ok) {
	process.stderr.write(`could not start: ${started.problem.message}\n`);
	process.exit(3);
}
const crash = () => {
	if (mode.startsWith('rejection')) void Promise.reject(new Error('a rejection nobody handles'));
	else throw new Error('an exception nobody catches');
};
if (mode.endsWith('-mid-exec')) {
	void board.execute('import time\ntime.sleep_ms(4000)');
	setTimeout(crash, 400);
} else {
	setTimeout(crash, 10);
}
