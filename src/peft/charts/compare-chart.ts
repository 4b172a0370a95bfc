import type { TopLevelSpec } from 'vega-lite';
import type { CompareResult, CompareRow } from '../sweeps/types.js';
import { axisTitle } from './labels.js';
import { barPanel, figure } from './panels.js';

type NumericColumn = Exclude<keyof CompareRow, 'method' | 'label'>;

/** The numeric columns of a comparison, in the order they are drawn, with a panel title each. */
export const COMPARE_COLUMNS: ReadonlyArray<{ column: NumericColumn; title: string }> = [
  { column: 'trainable_params', title: 'Trainable parameters' },
  { column: 'trainable_percent', title: 'Trainable share of all parameters' },
  { column: 'adapter_checkpoint_bytes', title: 'Adapter checkpoint size' },
  { column: 'training_memory_bytes', title: 'Training memory' },
  { column: 'training_flops_per_token', title: 'Training FLOPs per token' },
  { column: 'relative_training_speed', title: 'Relative training speed (FLOP-derived, full FT = 1)' },
  { column: 'inference_overhead_flops_per_token', title: 'Inference overhead per token' },
];

/** A comparison as bars per method, one panel per numeric column, each on its own (log where it spans decades) axis. */
export function compareChartSpec(result: CompareResult): TopLevelSpec {
  const panels = COMPARE_COLUMNS.map(({ column, title }) => {
    const unit = result.units[column] ?? '';
    const rows = result.rows.map((r) => ({ label: r.label, value: r[column] }));
    return barPanel(title, 'method', rows, { title: axisTitle(column, unit), unit });
  });
  return figure(`PEFT methods compared on ${result.model}`, `${result.rows.length} methods, every figure computed by the accounting and estimates code`, panels, 4);
}
