import type { TopLevelSpec } from 'vega-lite';
import type { CompareResult, CompareRow } from '../sweeps/types.js';
import { axisTitle } from './labels.js';
import { barPanel, figure } from './panels.js';

/** The numeric columns every row has. */
export type CompareColumn = Exclude<keyof CompareRow, 'method' | 'label' | 'per_gpu_memory_bytes'>;

/** The numeric columns of a comparison, in the order they are drawn, with a panel title each. */
export const COMPARE_COLUMNS: ReadonlyArray<{ column: CompareColumn; title: string }> = [
  { column: 'trainable_params', title: 'Trainable parameters' },
  { column: 'trainable_percent', title: 'Trainable share of all parameters' },
  { column: 'adapter_checkpoint_bytes', title: 'Adapter checkpoint size' },
  { column: 'training_memory_bytes', title: 'Training memory' },
  { column: 'training_flops_per_token', title: 'Training FLOPs per token' },
  { column: 'relative_training_speed', title: 'Relative training speed (FLOP-derived, full FT = 1)' },
  { column: 'inference_overhead_flops_per_token', title: 'Inference overhead per token' },
];

/** With parallelism every row also says what one GPU holds: drawn after the one-GPU training memory. */
const PER_GPU_TITLE = 'Training memory per GPU (parallelism)';

/** A comparison as bars per method, one panel per numeric column, each on its own (log where it spans decades) axis. */
export function compareChartSpec(result: CompareResult): TopLevelSpec {
  const panel = (title: string, column: string, values: number[]) => {
    const unit = result.units[column] ?? '';
    const rows = result.rows.map((r, i) => ({ label: r.label, value: values[i] }));
    return barPanel(title, 'method', rows, { title: axisTitle(column, unit), unit });
  };
  const panels = COMPARE_COLUMNS.map(({ column, title }) => panel(title, column, result.rows.map((r) => r[column])));
  const perGpu = result.rows.map((r) => r.per_gpu_memory_bytes);
  if (perGpu.every((v): v is number => v !== undefined)) {
    const after = COMPARE_COLUMNS.findIndex((c) => c.column === 'training_memory_bytes') + 1;
    panels.splice(after, 0, panel(PER_GPU_TITLE, 'per_gpu_memory_bytes', perGpu));
  }
  return figure(`PEFT methods compared on ${result.model}`, `${result.rows.length} methods, every figure computed by the accounting and estimates code`, panels, 4);
}
