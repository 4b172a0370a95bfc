/** Sweep axes: a list of values, or from/to/steps on a linear or log scale, rounded for integer fields. */
import { unprocessable } from '../../errors.js';
import type { ResolvedAxis } from './types.js';

export type AxisSpec =
  | { path: string; values: number[] }
  | { path: string; from: number; to: number; steps: number; scale: 'linear' | 'log' };

/** Points the axis asks for, before any rounding merges values: what the cap is checked against. */
export const requestedLength = (axis: AxisSpec): number => ('values' in axis ? axis.values.length : axis.steps);

/** Grid points the axes ask for together. */
export const requestedPoints = (axes: AxisSpec[]): number => axes.reduce((n, axis) => n * requestedLength(axis), 1);

function generate(axis: Exclude<AxisSpec, { values: number[] }>, index: number): number[] {
  const { from, to, steps, scale } = axis;
  if (steps === 1) return [from];
  if (scale === 'linear') {
    // (to − from)·i overflows for ends near ±Number.MAX_VALUE; the weighted mean of the ends cannot, so it takes over there.
    const span = to - from;
    const last = steps - 1;
    const at = Number.isFinite(span * last) ? (i: number) => from + (span * i) / last : (i: number) => from * (1 - i / last) + to * (i / last);
    // Rounding may not step outside the ends (nor past ±Number.MAX_VALUE to ±Infinity).
    const [low, high] = from <= to ? [from, to] : [to, from];
    return Array.from({ length: steps }, (_, i) => (i === last ? to : Math.min(high, Math.max(low, at(i)))));
  }
  if (!(from > 0 && to > 0)) {
    const field = from > 0 ? 'to' : 'from';
    throw unprocessable(`axes[${index}]: a log scale needs from and to above 0.`, [{ path: `axes.${index}.${field}`, message: `must be > 0 on a log scale, got ${axis[field]}` }]);
  }
  const a = Math.log(from);
  const b = Math.log(to);
  // The end points exactly as given; between them, equal ratios.
  return Array.from({ length: steps }, (_, i) => (i === 0 ? from : i === steps - 1 ? to : Math.exp(a + ((b - a) * i) / (steps - 1))));
}

/**
 * The values an axis runs. A list runs as given (each value then meets the field's validation);
 * generated values on an integer field are rounded to the nearest integer, each kept once.
 */
export function resolveAxis(axis: AxisSpec, index: number, integer: boolean): ResolvedAxis {
  if ('values' in axis) return { path: axis.path, values: [...axis.values], scale: 'list', integer, deduplicated: false };
  const raw = generate(axis, index);
  if (!integer) return { path: axis.path, values: raw, scale: axis.scale, integer, deduplicated: false };
  const values = [...new Set(raw.map((v) => Math.round(v)))];
  return { path: axis.path, values, scale: axis.scale, integer, deduplicated: values.length < raw.length };
}

/** Every combination of the axes' values, row-major: the last axis varies fastest. */
export function gridPoints(axes: ResolvedAxis[]): Array<Record<string, number>> {
  let points: Array<Record<string, number>> = [{}];
  for (const axis of axes) points = points.flatMap((p) => axis.values.map((v) => ({ ...p, [axis.path]: v })));
  return points;
}
