import { Text } from 'ink';
import { memo } from 'react';

/** Props of the legend: its lines, already laid out by `legendLines` (the layout needs their number first). */
export type LegendProps = { lines: readonly string[] };

/** The letters, each in its own colour, with the number of objects of each kind. */
export const Legend = memo(function Legend({ lines }: LegendProps) {
	return <Text>{lines.map((line) => ` ${line}`).join('\n')}</Text>;
});
