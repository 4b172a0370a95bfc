import type { TopLevelSpec } from 'vega-lite';
import { unprocessable } from '../../errors.js';
import { bottleneckSize } from '../accounting/methods/bottleneck.js';
import type { CompareResult, SweepResult } from '../sweeps/types.js';
import type { CompareColumn } from './compare-chart.js';
import { axisTitle, labelExpression } from './labels.js';
import { barPanel, figure, linePanel, type Panel } from './panels.js';

/** What the seed notebook's figure is drawn from (src/peft/sweeps/seed-notebook.ts computes it). */
export interface NotebookFigureData {
  compare: CompareResult;
  /** One adapted layer over peft.r. */
  loraByRank: SweepResult;
  /** One adapted layer over peft.reduction_factor, AdapterHub's bottleneck setting. */
  adapterByBottleneck: SweepResult;
  /** The hidden size the adapter sweep ran on: bottleneck = floor(d_model / reduction_factor). */
  d_model: number;
}

function methodBars(compare: CompareResult, title: string, column: CompareColumn, log: boolean, text: (unit: string) => string | undefined): Panel {
  const unit = compare.units[column] ?? '';
  const rows = compare.rows.map((r) => ({ label: r.label, value: r[column], note: r.trainable_percent }));
  return barPanel(title, 'method', rows, { title: axisTitle(column, unit), unit, log }, text(unit));
}

/** How a panel's x axis reads the sweep's axis value: its title with the unit, and the value drawn. */
interface XReading {
  title: string;
  value: (axisValue: number) => number;
}

/** The sweep's one axis along x (as `x` reads it), its first metric up y: the notebook's rank and bottleneck curves. */
function sweepLine(sweep: SweepResult, title: string, axisPath: string, x: XReading): Panel {
  const [axis] = sweep.axes;
  const [metric] = sweep.metrics;
  if (sweep.axes.length !== 1 || metric === undefined || axis.path !== axisPath) {
    throw unprocessable(`The notebook's "${title}" panel draws a one-axis sweep over ${axisPath} with a metric; this one has ${sweep.axes.length} axes (${sweep.axes.map((a) => a.path).join(', ')}) and ${sweep.metrics.length} metrics.`, [
      { path: 'axes', message: `must have exactly one axis, ${axisPath}, and at least one metric` },
    ]);
  }
  const unit = sweep.units[metric] ?? '';
  const points = sweep.points.map((p) => ({ x: x.value(p.at[axis.path]), y: p.metrics[metric] }));
  return linePanel(title, points, { title: axisTitle(`${metric} per layer`, unit), unit, log: false }, { xTitle: x.title, xLog: axis.scale === 'log' });
}

/**
 * The seed notebook's 2×3 figure with every number computed. Log axes where the notebook used them
 * (parameter efficiency, training memory); its invented "performance score" panel becomes the
 * inference overhead, and its invented training speeds the FLOP-derived ones.
 */
export function notebookFigureSpec(data: NotebookFigureData): TopLevelSpec {
  const { compare } = data;
  const panels = [
    methodBars(compare, 'Parameter efficiency (labels: trainable %)', 'trainable_params', true, () => labelExpression('%', 'datum.note')),
    sweepLine(data.loraByRank, 'LoRA rank vs parameters', 'peft.r', { title: 'LoRA rank r (peft.r, dimensions)', value: (r) => r }),
    sweepLine(data.adapterByBottleneck, 'Adapter bottleneck vs parameters', 'peft.reduction_factor', {
      title: `bottleneck size (dimensions, ${data.d_model} / peft.reduction_factor)`,
      value: (factor) => bottleneckSize(data.d_model, factor),
    }),
    methodBars(compare, 'Training memory by method', 'training_memory_bytes', true, (unit) => labelExpression(unit, 'datum.value')),
    methodBars(compare, 'Relative training speed (FLOP-derived, full FT = 1)', 'relative_training_speed', false, () => "format(datum.value, '.2f') + '×'"),
    methodBars(compare, 'Inference overhead per token', 'inference_overhead_flops_per_token', false, (unit) => labelExpression(unit, 'datum.value')),
  ];
  return figure(
    `The seed notebook's figure, computed (${compare.model})`,
    "Every bar and point comes from the accounting and estimates code; the notebook's invented performance scores and training speeds are not drawn.",
    panels,
    3,
  );
}
