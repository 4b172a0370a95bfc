/** RFC 4180 CSV of sweeps and comparisons: a header line, then one record per point or method, CRLF-terminated. */
import type { CompareResult, CompareRow, SweepResult } from './types.js';

const field = (v: string | number): string => {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

function csv(header: string[], rows: Array<Array<string | number>>): string {
  return [header, ...rows].map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
}

/** Axis paths, then metric paths; numbers as JavaScript prints them (shortest round-trip form). */
export function sweepCsv(result: SweepResult): string {
  const axes = result.axes.map((a) => a.path);
  return csv([...axes, ...result.metrics], result.points.map((p) => [...axes.map((a) => p.at[a]), ...result.metrics.map((m) => p.metrics[m])]));
}

const COMPARE_COLUMNS = [
  'trainable_params',
  'trainable_percent',
  'adapter_checkpoint_bytes',
  'training_memory_bytes',
  'training_flops_per_token',
  'relative_training_speed',
  'inference_overhead_flops_per_token',
] as const;

/** A compare row's columns with parallelism: what one GPU and one host hold, and the strategy as it runs. */
export interface ParallelColumns {
  per_gpu_memory_bytes?: number;
  per_cpu_memory_bytes?: number;
  strategy?: string;
}
const PARALLEL_COLUMNS = ['per_gpu_memory_bytes', 'per_cpu_memory_bytes', 'strategy'] as const;

/** With parallelism, every row also has the parallel columns, after the others. */
export function compareCsv(result: CompareResult & { rows: Array<CompareRow & ParallelColumns> }): string {
  const rows: Array<CompareRow & ParallelColumns> = result.rows;
  const parallel = rows.length > 0 && rows.every((r) => r.strategy !== undefined) ? PARALLEL_COLUMNS : [];
  return csv(['method', 'label', ...COMPARE_COLUMNS, ...parallel], rows.map((r) => [r.method, r.label, ...COMPARE_COLUMNS.map((c) => r[c]), ...parallel.map((c) => r[c] ?? '')]));
}
