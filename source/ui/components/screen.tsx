import { Box, Text } from 'ink';
import type { HeapMetrics } from '../../heap/analyze.js';
import type { HeapSnapshot } from '../../heap/model.js';
import type { MapHighlight } from '../../present/map-marks.js';
import type { AreaMarks } from '../../present/map-rows.js';
import type { Painter } from '../../present/paint.js';
import { truncate, wrapWords } from '../../present/text-fit.js';
import type { LightReading } from '../../sources/source.js';
import type { MapGeometry } from '../layout/map-geometry.js';
import type { OverlaySink } from '../layout/overlay.js';
import { type ScreenLayout, sidePanels } from '../layout/screen-layout.js';
import type { HistoryPoint, LowWaterMarks } from '../state/history.js';
import type { Glyphs } from '../text/glyphs.js';
import { BlockMap, type DiffCounts } from './block-map.js';
import { FreeRuns } from './free-runs.js';
import { GcPanel, gcPanelHeight } from './gc-panel.js';
import { Header, type UiStatus } from './header.js';
import { HelpOverlay } from './help-overlay.js';
import { History } from './history-panel.js';
import { KindsPanel } from './kinds-panel.js';
import { Legend } from './legend.js';
import { LogPane } from './log-pane.js';
import { StackBar } from './stack-bar.js';
import { type Notice, StatusLine } from './status-line.js';
import { TooSmall } from './too-small.js';

/** Everything one frame shows, as plain data: the App computes it, the bench builds it directly. */
export type ScreenProps = {
	layout: ScreenLayout;
	rows: number;
	description: string;
	status: UiStatus;
	statusText?: string;
	lastAtMs?: number;
	/** A replay: the date of the reading shown, in place of its age. */
	when?: string;
	/** The key the header suggests beside `? help`. */
	firstKey?: readonly [string, string];
	snapshot?: HeapSnapshot;
	/** A dump still streaming in: the map shows its rows so far, laid out as the last whole one. */
	mapSnapshot?: HeapSnapshot;
	/** A light reading newer than the map: the GC panel's title gives its figures. */
	light?: LightReading;
	/** `map 12 s old`, when figures newer than the map are shown. */
	mapAge?: string;
	metrics?: HeapMetrics;
	geometry: MapGeometry;
	marks?: AreaMarks;
	/** What the map marks: the largest free run, and what the "why" analysis found. */
	highlights?: readonly MapHighlight[];
	diff?: DiffCounts;
	legend: readonly string[];
	points: readonly HistoryPoint[];
	lowWater: LowWaterMarks;
	/** A replay: the index in `points` of the reading shown; the sparklines then cover the whole recording. */
	historyCursor?: number;
	logLines: readonly string[];
	help: boolean;
	/** The help's lines (from the command table) and the first one shown. */
	helpLines: readonly string[];
	helpScroll: number;
	caption?: string;
	notice?: Notice;
	hints: readonly [string, string][];
	ascii: boolean;
	painter: Painter;
	glyphs: Glyphs;
	now?: () => number;
	/** Where the map's rows go when the frame writer draws them (the running TUI); Ink draws them otherwise. */
	mapOverlay?: OverlaySink;
};

/** The demo step's caption in up to `lines` lines, the last one cut with an ellipsis when it runs over. */
function Caption({
	text,
	lines,
	width,
	painter,
	glyphs,
}: {
	text: string;
	lines: number;
	width: number;
	painter: Painter;
	glyphs: Glyphs;
}) {
	const wrapped = wrapWords(text, width - 2);
	const shown = wrapped.slice(0, lines);
	if (wrapped.length > lines && shown.length > 0) {
		shown[shown.length - 1] = truncate(
			`${shown[shown.length - 1]} ${wrapped.slice(lines).join(' ')}`,
			width - 2,
			glyphs.ellipsis,
		);
	}
	while (shown.length < lines) shown.push('');
	return <Text>{shown.map((line) => ` ${painter.paint(line, { fg: 'yellow' })}`).join('\n')}</Text>;
}

/** The whole screen, laid out by `layoutScreen`: header, caption, map and panels, legend, history, status. */
export function Screen(props: ScreenProps) {
	const { layout, painter, glyphs } = props;
	if (layout.tooSmall) return <TooSmall columns={layout.columns} rows={props.rows} ascii={props.ascii} />;
	const width = layout.columns;
	const panelWidth = layout.panelWidth;
	const side = sidePanels(layout.bodyLines, gcPanelHeight(props.snapshot, props.metrics, panelWidth, painter));
	return (
		<Box flexDirection="column" width={width} height={layout.lines}>
			<Header
				description={props.description}
				status={props.status}
				{...(props.statusText === undefined ? {} : { statusText: props.statusText })}
				{...(props.lastAtMs === undefined ? {} : { lastAtMs: props.lastAtMs })}
				{...(props.when === undefined ? {} : { when: props.when })}
				{...(props.firstKey ? { firstKey: props.firstKey } : {})}
				width={width}
				painter={painter}
				glyphs={glyphs}
				{...(props.now ? { now: props.now } : {})}
			/>
			{layout.captionLines > 0 ? (
				<Caption
					text={props.caption ?? ''}
					lines={layout.captionLines}
					width={width}
					painter={painter}
					glyphs={glyphs}
				/>
			) : null}
			{props.help ? (
				<HelpOverlay
					width={width}
					height={layout.bodyLines}
					lines={props.helpLines}
					scroll={props.helpScroll}
					painter={painter}
					glyphs={glyphs}
				/>
			) : (
				<Box flexDirection="row" height={layout.bodyLines}>
					<BlockMap
						snapshot={props.mapSnapshot ?? props.snapshot}
						geometry={props.geometry}
						{...(props.mapAge ? { age: props.mapAge } : {})}
						width={layout.mapWidth}
						height={layout.bodyLines}
						{...(props.marks ? { marks: props.marks } : {})}
						{...(props.highlights ? { highlights: props.highlights } : {})}
						{...(props.diff ? { diff: props.diff } : {})}
						painter={painter}
						glyphs={glyphs}
						{...(props.mapOverlay ? { overlaySink: props.mapOverlay, inner: layout.mapInner } : {})}
					/>
					<Box flexDirection="column" width={panelWidth} height={layout.bodyLines}>
						<GcPanel
							{...(props.light ? { light: props.light } : {})}
							snapshot={props.snapshot}
							metrics={props.metrics}
							width={panelWidth}
							height={side.gcLines}
							painter={painter}
							glyphs={glyphs}
						/>
						<StackBar snapshot={props.snapshot} width={panelWidth} painter={painter} glyphs={glyphs} />
						{side.freeRunsLines > 0 ? (
							<FreeRuns
								metrics={props.metrics}
								width={panelWidth}
								height={side.freeRunsLines}
								painter={painter}
								glyphs={glyphs}
							/>
						) : null}
						{side.kindsLines > 0 ? (
							<KindsPanel
								metrics={props.metrics}
								width={panelWidth}
								height={side.kindsLines}
								painter={painter}
								glyphs={glyphs}
							/>
						) : null}
					</Box>
				</Box>
			)}
			{layout.logLines > 0 ? (
				<LogPane lines={props.logLines} width={width} height={layout.logLines} painter={painter} glyphs={glyphs} />
			) : null}
			{layout.legendLines > 0 ? <Legend lines={props.legend.slice(0, layout.legendLines)} /> : null}
			<History
				points={props.points}
				marks={props.lowWater}
				width={width}
				lines={layout.historyLines}
				painter={painter}
				glyphs={glyphs}
				{...(props.historyCursor === undefined ? {} : { cursor: props.historyCursor })}
			/>
			<StatusLine notice={props.notice} hints={props.hints} width={width} painter={painter} glyphs={glyphs} />
		</Box>
	);
}
