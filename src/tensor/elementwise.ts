import type { TensorData } from './tensor.js';

/** data[r, :] += bias for every row of a [rows, bias.length] matrix. */
export function addRowVectorInPlace(data: TensorData, bias: TensorData): TensorData {
  const n = bias.length;
  for (let i = 0; i < data.length; i += n) for (let j = 0; j < n; j++) data[i + j] += bias[j];
  return data;
}

/** data[r, :] *= scale for every row of a [rows, scale.length] matrix. */
export function multiplyRowVectorInPlace(data: TensorData, scale: TensorData): TensorData {
  const n = scale.length;
  for (let i = 0; i < data.length; i += n) for (let j = 0; j < n; j++) data[i + j] *= scale[j];
  return data;
}

/** a += s·b, elementwise. */
export function addScaledInPlace(a: TensorData, b: TensorData, s: number): TensorData {
  for (let i = 0; i < a.length; i++) a[i] += s * b[i];
  return a;
}

export function scaleInPlace(a: TensorData, s: number): TensorData {
  for (let i = 0; i < a.length; i++) a[i] *= s;
  return a;
}
