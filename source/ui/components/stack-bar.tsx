import { memo } from 'react';
import type { HeapSnapshot } from '../../heap/model.js';
import type { Painter } from '../../present/paint.js';
import type { Glyphs } from '../text/glyphs.js';
import { stackLine } from '../text/panels.js';
import { Frame } from './frame.js';

/** Props of the stack bar. */
export type StackBarProps = { snapshot: HeapSnapshot | undefined; width: number; painter: Painter; glyphs: Glyphs };

/** The stack in use out of its limit, three lines high. */
export const StackBar = memo(function StackBar({ snapshot, width, painter, glyphs }: StackBarProps) {
	const lines = snapshot ? [stackLine(snapshot, width - 4, painter, glyphs)] : [];
	return <Frame width={width} height={3} title="stack" lines={lines} glyphs={glyphs} painter={painter} />;
});
