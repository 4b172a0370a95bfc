import type { TensorData } from './tensor.js';

/**
 * LayerNorm over the last dimension `n`, as torch.nn.LayerNorm: biased variance, eps inside the root.
 * Statistics accumulate in float64 whatever the dtype.
 */
export function layerNorm(x: TensorData, n: number, weight: TensorData, bias: TensorData, eps: number, out: TensorData): TensorData {
  for (let row = 0; row < x.length; row += n) {
    let mean = 0;
    for (let j = 0; j < n; j++) mean += x[row + j];
    mean /= n;
    let variance = 0;
    for (let j = 0; j < n; j++) {
      const d = x[row + j] - mean;
      variance += d * d;
    }
    variance /= n;
    const inv = 1 / Math.sqrt(variance + eps);
    for (let j = 0; j < n; j++) out[row + j] = (x[row + j] - mean) * inv * weight[j] + bias[j];
  }
  return out;
}
