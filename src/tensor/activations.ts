import { erfc } from './erf.js';
import type { TensorData } from './tensor.js';

export const NON_LINEARITIES = ['relu', 'gelu', 'gelu_tanh', 'silu', 'tanh'] as const;
export type NonLinearity = (typeof NON_LINEARITIES)[number];

const SQRT1_2 = Math.SQRT1_2;
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** Scalar forms, PyTorch's definitions. gelu is exact: 0.5·x·(1 + erf(x/√2)) = 0.5·x·erfc(−x/√2). */
export const activation: Record<NonLinearity, (x: number) => number> = {
  relu: (x) => (x > 0 ? x : 0),
  gelu: (x) => 0.5 * x * erfc(-x * SQRT1_2),
  gelu_tanh: (x) => 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x))),
  silu: (x) => x / (1 + Math.exp(-x)),
  tanh: (x) => Math.tanh(x),
};

export function applyActivationInPlace(data: TensorData, name: NonLinearity): TensorData {
  const f = activation[name];
  for (let i = 0; i < data.length; i++) data[i] = f(data[i]);
  return data;
}
