import type { TopLevelSpec } from 'vega-lite';
import { overBudget, unprocessable } from '../../errors.js';
import type { SweepResult } from '../sweeps/types.js';
import { axisTitle } from './labels.js';
import { figure, linePanel, type LinePoint, type Panel } from './panels.js';

const unitOf = (result: SweepResult, metric: string) => result.units[metric] ?? '';

/**
 * Points × metrics a server-side SVG draws at most. Each costs up to 0.1 ms of rendering, which holds
 * the event loop, and 300 bytes of SVG (2,000: some 0.2 s and 600 kB); more would not read in a panel anyway.
 */
export const MAX_SVG_MARKS = 2_000;

/** Checked before the sweep runs: the SVG of `points` grid points and `metrics` metrics, or a 413 pointing to vega-lite. */
export function checkSvgSize(points: number, metrics: number): void {
  const marks = points * metrics;
  if (marks <= MAX_SVG_MARKS) return;
  throw overBudget(
    `An SVG of ${points} points × ${metrics} metrics draws ${marks} marks, over the cap of ${MAX_SVG_MARKS}; ask for "format": "vega-lite" (the same chart, rendered by the client), json or csv, or sweep fewer points.`,
    [{ path: 'format', message: `svg draws at most ${MAX_SVG_MARKS} points × metrics, this sweep ${marks}` }],
    { cap: MAX_SVG_MARKS, requested: marks },
  );
}

/**
 * A sweep as lines. One axis: one line per metric when they share a unit, else one panel per metric
 * with its unit. Two axes: the first along x, one line per value of the second, a panel per metric.
 */
export function sweepChartSpec(result: SweepResult): TopLevelSpec {
  const [xAxis, seriesAxis] = result.axes;
  if (!xAxis || result.axes.length > 2) throw unprocessable(`A sweep chart draws 1 or 2 axes; this sweep has ${result.axes.length}.`, [{ path: 'axes', message: 'must have 1 or 2 axes to chart' }]);
  if (result.metrics.length === 0) throw unprocessable('A sweep chart needs at least one metric.', [{ path: 'metrics', message: 'must name at least one metric to chart' }]);

  const line = (metric: string, title: string, points: LinePoint[], yTitle = axisTitle(metric, unitOf(result, metric))): Panel =>
    linePanel(title, points, { title: yTitle, unit: unitOf(result, metric) }, { xTitle: xAxis.path, xLog: xAxis.scale === 'log', seriesTitle: seriesAxis?.path ?? 'metric' });
  const pointsOf = (metric: string, series: (at: Record<string, number>) => string | number | undefined): LinePoint[] =>
    result.points.map((p) => ({ x: p.at[xAxis.path], y: p.metrics[metric], series: series(p.at) }));

  const units = new Set(result.metrics.map((m) => unitOf(result, m)));
  let panels: Panel[];
  if (seriesAxis) {
    panels = result.metrics.map((m) => line(m, m, pointsOf(m, (at) => at[seriesAxis.path])));
  } else if (result.metrics.length > 1 && units.size === 1) {
    const unit = unitOf(result, result.metrics[0]);
    const points = result.metrics.flatMap((m) => pointsOf(m, () => m));
    panels = [line(result.metrics[0], result.metrics.join(', '), points, axisTitle('value', unit))];
  } else {
    panels = result.metrics.map((m) => line(m, m, pointsOf(m, () => undefined)));
  }

  const by = seriesAxis ? ` by ${seriesAxis.path}` : '';
  const title = `${result.metrics.join(', ')} vs ${xAxis.path}${by}`;
  const subtitle = `Sweep over ${result.target}: ${result.points.length} points`;
  return figure(title, subtitle, panels, Math.min(panels.length, 3));
}
