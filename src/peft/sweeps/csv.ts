/** RFC 4180 CSV of sweeps and comparisons: a header line, then one record per point or method, CRLF-terminated. */
import type { CompareResult, SweepResult } from './types.js';

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

export function compareCsv(result: CompareResult): string {
  return csv(['method', 'label', ...COMPARE_COLUMNS], result.rows.map((r) => [r.method, r.label, ...COMPARE_COLUMNS.map((c) => r[c])]));
}
