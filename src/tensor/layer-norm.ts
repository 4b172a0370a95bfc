import { powerOfTwoScale } from './power-of-two.js';
import type { TensorData } from './tensor.js';

/**
 * LayerNorm over the last dimension `n`, as torch.nn.LayerNorm: biased variance, eps inside the root.
 * Statistics accumulate in float64 whatever the dtype. Each row is first divided by a power of two
 * near its largest |x| (exact), since (x−μ)/√(σ²+ε) = (x/s − μ/s)/√(σ²/s² + ε/s²): squares of
 * inputs above ~1e154 would otherwise overflow and silently normalise the row to zero.
 */
export function layerNorm(x: TensorData, n: number, weight: TensorData, bias: TensorData, eps: number, out: TensorData): TensorData {
  for (let row = 0; row < x.length; row += n) {
    let maxAbs = 0;
    for (let j = 0; j < n; j++) maxAbs = Math.max(maxAbs, Math.abs(x[row + j]));
    const s = powerOfTwoScale(maxAbs);
    let mean = 0;
    for (let j = 0; j < n; j++) mean += x[row + j] / s;
    mean /= n;
    let variance = 0;
    for (let j = 0; j < n; j++) {
      const d = x[row + j] / s - mean;
      variance += d * d;
    }
    variance /= n;
    const root = Math.sqrt(variance + eps / s / s);
    // root is 0 only for a constant row whose ε/s² underflowed: every (x − μ) is then 0 as well.
    const inv = root > 0 ? 1 / root : 0;
    for (let j = 0; j < n; j++) out[row + j] = (x[row + j] / s - mean) * inv * weight[j] + bias[j];
  }
  return out;
}
