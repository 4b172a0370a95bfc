/**
 * The two panel shapes every chart here is made of (bars per method, lines over an axis) and the
 * figure that lays panels out. Each panel carries its own inline data, so no figure loads anything.
 */
import type { TopLevelSpec } from 'vega-lite';
import { labelExpression, wantsLogScale } from './labels.js';

/** One panel of a concat figure, as vega-lite types it. */
export type Panel = Extract<TopLevelSpec, { concat: unknown }>['concat'][number];

export const PANEL_WIDTH = 260;
export const PANEL_HEIGHT = 180;
const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** A y axis in a unit: its title, its label format and whether it is logarithmic. */
export interface ValueAxis {
  title: string;
  unit: string;
  /** Default: log when the values are positive and span two decades (wantsLogScale). */
  log?: boolean;
}

/** Bytes step in powers of 2 (64 MiB, 128 MiB, …), everything else in powers of 10. */
const logBase = (unit: string) => (unit === 'bytes' ? 2 : 10);

/**
 * A log axis from one step below the smallest value (log bars grow from the domain's floor, so the
 * smallest keeps a height) to the step above the largest, with ticks on whole powers only: vega's own
 * log ticks label every 2·10^k … 9·10^k and crowd the axis.
 */
export function logAxis(values: number[], base: number): { domain: [number, number]; ticks: number[] } {
  const log = (v: number) => Math.log(v) / Math.log(base);
  const low = Math.ceil(log(Math.min(...values)) - 1e-9) - 1;
  const high = Math.max(low + 1, Math.ceil(log(Math.max(...values)) - 1e-9));
  const step = Math.ceil((high - low + 1) / 7);
  const ticks: number[] = [];
  for (let k = low; k <= high; k += step) ticks.push(base ** k);
  if (base === 10 && ticks.length < 4) ticks.push(...ticks.slice(0, -1).flatMap((v) => [2 * v, 5 * v]));
  return { domain: [base ** low, base ** high], ticks: ticks.sort((a, b) => a - b) };
}

/**
 * A linear bytes axis from 0 with ticks on round binary amounts (0, 5, 10 … MiB): vega's decimal
 * ticks land on 4.77 MiB and the like.
 */
export function binaryByteAxis(max: number): { domain: [number, number]; ticks: number[] } | undefined {
  if (!(max > 0)) return undefined;
  let unit = 1;
  while (unit * 1024 <= max) unit *= 1024;
  // d3's tick step for about six ticks, in the display unit: 1, 2 or 5 times a power of ten.
  const raw = max / unit / 6;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const ratio = raw / magnitude;
  const step = magnitude * (ratio >= Math.sqrt(50) ? 10 : ratio >= Math.sqrt(10) ? 5 : ratio >= Math.sqrt(2) ? 2 : 1) * unit;
  const count = Math.ceil(max / step - 1e-9);
  const ticks = Array.from({ length: count + 1 }, (_, i) => i * step);
  return { domain: [0, count * step], ticks };
}

/** The y scale and its tick values: log on whole powers, linear bytes on binary steps, otherwise vega's own. */
function valueScale(axis: ValueAxis, values: number[]) {
  // A log axis cannot place 0 or less: such values keep the axis linear even where log was asked for.
  const log = (axis.log ?? wantsLogScale(values)) && values.every((v) => v > 0);
  if (log) {
    const base = logBase(axis.unit);
    const { domain, ticks } = logAxis(values, base);
    return { log, scale: { type: 'log' as const, base, domain }, ticks };
  }
  const bytes = axis.unit === 'bytes' && values.every((v) => v >= 0) ? binaryByteAxis(Math.max(...values)) : undefined;
  return { log, scale: bytes ? { domain: bytes.domain } : {}, ticks: bytes?.ticks };
}

function yEncoding(field: string, axis: ValueAxis, values: number[]) {
  const { log, scale, ticks } = valueScale(axis, values);
  const labelExpr = labelExpression(axis.unit, 'datum.value');
  return {
    field,
    type: 'quantitative' as const,
    title: log ? `${axis.title}, log scale` : axis.title,
    // Unstacked: a stacked bar starts at 0, which a log scale cannot place.
    stack: null,
    scale,
    axis: { ...(labelExpr ? { labelExpr } : {}), ...(ticks ? { values: ticks } : {}) },
  };
}

export interface BarRow {
  label: string;
  value: number;
  /** A second figure a bar's text label may show instead of its value. */
  note?: number;
}

/** Bars in row order, one per label; `text` (a vega expression over datum.value and datum.note) labels each bar. */
export function barPanel(title: string, xTitle: string, rows: BarRow[], axis: ValueAxis, text?: string): Panel {
  const x = { field: 'label', type: 'nominal' as const, sort: null, title: xTitle, axis: { labelAngle: -30 } };
  const y = yEncoding('value', axis, rows.map((r) => r.value));
  const bars = { mark: { type: 'bar' as const, tooltip: true }, encoding: { x, y } };
  const layer = text
    ? [bars, { mark: { type: 'text' as const, baseline: 'bottom' as const, dy: -3 }, encoding: { x, y, text: { field: 'text', type: 'nominal' as const } } }]
    : [bars];
  return {
    title,
    width: PANEL_WIDTH,
    height: PANEL_HEIGHT,
    data: { values: rows.map((r) => ({ ...r })) },
    ...(text ? { transform: [{ calculate: text, as: 'text' }] } : {}),
    layer,
  };
}

export interface LinePoint {
  x: number;
  y: number;
  /** Which line the point belongs to (a metric name, or a value of the second axis). */
  series?: string | number;
}

export interface LineOptions {
  xTitle: string;
  xLog: boolean;
  /** Legend title when the points carry a series. */
  seriesTitle?: string;
}

/** Lines with a point at every value; one line per series, coloured, when the points carry one. */
export function linePanel(title: string, points: LinePoint[], axis: ValueAxis, options: LineOptions): Panel {
  const hasSeries = points.some((p) => p.series !== undefined);
  const numericSeries = hasSeries && points.every((p) => typeof p.series === 'number');
  const x = {
    field: 'x',
    type: 'quantitative' as const,
    title: options.xLog ? `${options.xTitle}, log scale` : options.xTitle,
    scale: options.xLog ? { type: 'log' as const } : { zero: false },
  };
  const color = hasSeries ? { color: { field: 'series', type: numericSeries ? ('ordinal' as const) : ('nominal' as const), title: options.seriesTitle, sort: null } } : {};
  return {
    title,
    width: PANEL_WIDTH,
    height: PANEL_HEIGHT,
    data: { values: points.map((p) => ({ ...p })) },
    mark: { type: 'line', point: true, tooltip: true },
    encoding: { x, y: yEncoding('y', axis, points.map((p) => p.y)), ...color },
  };
}

/** The figure: a title, the panels in a grid, each panel with its own scales and legend. */
export function figure(title: string, subtitle: string, panels: Panel[], columns: number): TopLevelSpec {
  if (panels.length === 1) return { $schema: SCHEMA, ...panels[0], title: { text: title, subtitle }, background: 'white' } as TopLevelSpec;
  return {
    $schema: SCHEMA,
    title: { text: title, subtitle, anchor: 'start', fontSize: 16 },
    background: 'white',
    columns,
    concat: panels,
    resolve: { scale: { color: 'independent' } },
  };
}
