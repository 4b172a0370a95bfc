import type { TensorData } from './tensor.js';

/**
 * out[m,n] = a[m,k] · b[k,n], all row-major. i-k-j order: the inner loop walks a row of b and a row
 * of the accumulator contiguously. Sums accumulate in float64 and round once into `out`'s dtype.
 */
export function matmul(a: TensorData, b: TensorData, m: number, k: number, n: number, out: TensorData): TensorData {
  const acc = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    acc.fill(0);
    const aRow = i * k;
    for (let p = 0; p < k; p++) {
      const aip = a[aRow + p];
      const bRow = p * n;
      for (let j = 0; j < n; j++) acc[j] += aip * b[bRow + j];
    }
    const outRow = i * n;
    for (let j = 0; j < n; j++) out[outRow + j] = acc[j];
  }
  return out;
}

/**
 * out[m,n] = a[m,k] · b[n,k]ᵀ (b in PyTorch Linear layout [out, in]). Transposes b once (k·n work)
 * and then runs the i-k-j kernel, so the m·k·n loop stays contiguous.
 */
export function matmulTransposed(a: TensorData, b: TensorData, m: number, k: number, n: number, out: TensorData): TensorData {
  return matmul(a, transpose(b, n, k), m, k, n, out);
}

/** [rows, cols] → [cols, rows], same dtype. */
export function transpose(a: TensorData, rows: number, cols: number): TensorData {
  const t = new (a.constructor as Float64ArrayConstructor | Float32ArrayConstructor)(rows * cols);
  for (let i = 0; i < rows; i++) {
    const row = i * cols;
    for (let j = 0; j < cols; j++) t[j * rows + i] = a[row + j];
  }
  return t;
}

/** Floating-point operations of one [m,k]·[k,n] product: a multiply and an add per term. */
export const matmulFlops = (m: number, k: number, n: number): number => 2 * m * k * n;
