import { Text } from 'ink';
import { MIN_COLUMNS, MIN_ROWS } from '../layout/screen-layout.js';

/** Props: the terminal's size now. */
export type TooSmallProps = { columns: number; rows: number; ascii?: boolean };

/** The whole screen when the terminal is below the smallest usable size; it goes away on a resize. */
export function TooSmall({ columns, rows, ascii }: TooSmallProps) {
	const by = ascii ? 'x' : '×';
	const lines = [
		`terminal too small: need ${MIN_COLUMNS}${by}${MIN_ROWS}, have ${columns}${by}${rows}`,
		'enlarge it, or press q to quit',
	];
	return <Text>{lines.map((line) => line.slice(0, Math.max(1, columns - 1))).join('\n')}</Text>;
}
