import { powerOfTwoScale } from './power-of-two.js';
import type { Tensor } from './tensor.js';

export const SUMMARY_FIRST_VALUES = 8;

export interface TensorSummary {
  shape: number[];
  mean: number;
  /** Population standard deviation (ddof 0, as numpy's default). */
  std: number;
  min: number;
  max: number;
  l2_norm: number;
  first: number[];
}

/** Shape, moments, extremes, L2 norm and the first values, accumulated in float64 (two passes for std). */
export function summarize(t: Tensor): TensorSummary {
  const { data } = t;
  const n = data.length;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = data[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (n === 0) return { shape: [...t.shape], mean: 0, std: 0, min: 0, max: 0, l2_norm: 0, first: [] };
  const scale = powerOfTwoScale(Math.max(Math.abs(min), Math.abs(max)));
  // Multiplying by the reciprocal of a power of two rounds exactly as dividing by it (2^−1023 is representable).
  const inverse = 1 / scale;
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < n; i++) {
    const v = data[i] * inverse;
    sum += v;
    sumSquares += v * v;
  }
  const scaledMean = sum / n;
  let centered = 0;
  for (let i = 0; i < n; i++) {
    const d = data[i] * inverse - scaledMean;
    centered += d * d;
  }
  return {
    shape: [...t.shape],
    mean: scaledMean * scale,
    std: Math.sqrt(centered / n) * scale,
    min,
    max,
    l2_norm: Math.sqrt(sumSquares) * scale,
    first: Array.from(data.subarray(0, SUMMARY_FIRST_VALUES)),
  };
}
