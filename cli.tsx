#!/usr/bin/env node
import process from 'node:process';
import meow from 'meow';
import { isUserError, UsageError } from './source/commands/errors.js';
import { inspectCommand } from './source/commands/inspect.js';

const cli = meow(
	`
  Usage
    $ heaptop inspect FILE|-        show a saved or pasted mem_info(1) dump ("-" reads standard input)

  Options
    --json         print JSON instead of text (schema in the README)
    --all          with inspect: every dump in the input, not just the last
    --no-color     no colour (also when NO_COLOR is set, or stdout is not a terminal)

  Examples
    $ heaptop inspect dump.txt
    $ mpremote exec "import micropython; micropython.mem_info(1)" | heaptop inspect -
    $ heaptop inspect --json dump.txt | jq .metrics.largestAllocatableBytes

  Exit codes: 0 fine, 1 runtime failure, 2 bad usage or bad input.
`,
	{
		importMeta: import.meta,
		flags: {
			json: { type: 'boolean', default: false },
			all: { type: 'boolean', default: false },
			color: { type: 'boolean', default: true },
		},
	},
);

/** Colour only for a terminal, and never when the user said no (https://no-color.org: present and non-empty). */
function wantsColor(): boolean {
	return cli.flags.color && process.stdout.isTTY === true && !process.env.NO_COLOR;
}

async function main(): Promise<number> {
	const [command, ...rest] = cli.input;
	switch (command) {
		case 'inspect': {
			const input = rest[0];
			if (input === undefined) throw new UsageError('inspect needs a file, or - for standard input');
			return inspectCommand({
				input,
				json: cli.flags.json,
				all: cli.flags.all,
				color: wantsColor(),
				stdout: process.stdout,
				stdin: process.stdin,
			});
		}
		case undefined:
			cli.showHelp(0);
			return 0;
		default:
			throw new UsageError(`unknown command "${command}": see heaptop --help`);
	}
}

// A reader that closes the pipe early (`| head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
	if (error.code === 'EPIPE') process.exit(0);
});

main().then(
	(code) => {
		process.exitCode = code;
	},
	(error: unknown) => {
		if (isUserError(error)) {
			process.stderr.write(`heaptop: ${error.message}\n`);
			process.exitCode = error.exitCode;
			return;
		}
		process.stderr.write(
			`heaptop: internal error, please report it:\n${error instanceof Error ? error.stack : String(error)}\n`,
		);
		process.exitCode = 1;
	},
);
