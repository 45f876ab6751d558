import { useStdout } from 'ink';
import { useEffect, useState } from 'react';

/** Columns and rows of the terminal. */
export type TerminalSize = { columns: number; rows: number };

/**
 * The terminal's size, updated on every resize. `fixed` (tests, benches) wins over the terminal; a stream
 * without a size (a pipe) counts as 80×24, the design size.
 */
export function useTerminalSize(fixed?: TerminalSize): TerminalSize {
	const { stdout } = useStdout();
	const read = (): TerminalSize => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
	const [size, setSize] = useState<TerminalSize>(read);
	useEffect(() => {
		if (fixed) return;
		const onResize = () => setSize({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
		stdout.on('resize', onResize);
		return () => {
			stdout.off('resize', onResize);
		};
	}, [stdout, fixed]);
	return fixed ?? size;
}
