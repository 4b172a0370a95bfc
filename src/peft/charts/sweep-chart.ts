import type { TopLevelSpec } from 'vega-lite';
import { unprocessable } from '../../errors.js';
import type { SweepResult } from '../sweeps/types.js';
import { axisTitle } from './labels.js';
import { figure, linePanel, type LinePoint, type Panel } from './panels.js';

const unitOf = (result: SweepResult, metric: string) => result.units[metric] ?? '';

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
