/** A dense tensor: flat row-major data plus its shape (the Open Inference Protocol's field names). */
export type DType = 'float64' | 'float32';
export type TensorData = Float64Array | Float32Array;

export interface Tensor {
  shape: number[];
  data: TensorData;
}

export const BYTES_PER_ELEMENT: Record<DType, number> = { float64: 8, float32: 4 };

/** Product of the dimensions; 1 for a scalar shape []. */
export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function allocateData(dtype: DType, length: number): TensorData {
  return dtype === 'float64' ? new Float64Array(length) : new Float32Array(length);
}

export function zeros(dtype: DType, shape: number[]): Tensor {
  return { shape: [...shape], data: allocateData(dtype, numel(shape)) };
}

export function filled(dtype: DType, shape: number[], value: number): Tensor {
  const t = zeros(dtype, shape);
  t.data.fill(value);
  return t;
}

/** Copy plain numbers into a typed tensor (float32 rounds each value to nearest). */
export function fromValues(values: ArrayLike<number>, shape: number[], dtype: DType): Tensor {
  const data = allocateData(dtype, values.length);
  data.set(values as ArrayLike<number>);
  return { shape: [...shape], data };
}

export function dtypeOf(data: TensorData): DType {
  return data instanceof Float64Array ? 'float64' : 'float32';
}

/** Same data, new shape (the element count must agree; callers guarantee it). */
export function reshape(t: Tensor, shape: number[]): Tensor {
  return { shape: [...shape], data: t.data };
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** Largest |a_i − b_i| over two equally long arrays; NaN if any difference is NaN (it must not hide). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (Number.isNaN(d)) return NaN;
    if (d > m) m = d;
  }
  return m;
}

/** Index of the first non-finite element, or -1: results must be finite to be serialised as JSON. */
export function firstNonFinite(data: ArrayLike<number>): number {
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i])) return i;
  return -1;
}
