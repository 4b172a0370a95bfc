import type { TensorData } from './tensor.js';

/**
 * Softmax over each row of length `n`, in place. Subtracting the row max keeps exp() finite;
 * entries equal to −∞ (masked) become exactly 0.
 */
export function softmaxRowsInPlace(data: TensorData, n: number): TensorData {
  for (let row = 0; row < data.length; row += n) {
    let max = -Infinity;
    for (let j = 0; j < n; j++) if (data[row + j] > max) max = data[row + j];
    let sum = 0;
    for (let j = 0; j < n; j++) {
      const e = Math.exp(data[row + j] - max);
      data[row + j] = e;
      sum += e;
    }
    const inv = 1 / sum;
    for (let j = 0; j < n; j++) data[row + j] *= inv;
  }
  return data;
}
