import { addScaledInPlace } from '../../tensor/elementwise.js';
import { matmul } from '../../tensor/matmul.js';
import { allocateData, maxAbsDiff, type Tensor } from '../../tensor/tensor.js';
import { linear, linearFlops } from '../forward/linear.js';
import type { ForwardMethod } from '../forward/method.js';
import type { InitRule } from '../forward/types.js';

export const LORA_INITS = ['peft', 'gaussian', 'random'] as const;
export type LoraInit = (typeof LORA_INITS)[number];

export interface LoraOptions {
  init: LoraInit;
  lora_alpha: number;
  use_rslora: boolean;
  merged: boolean;
  verify: boolean;
  has_bias: boolean;
}

/** PEFT's scaling: α/r, or α/√r with rsLoRA. */
export const loraScaling = (alpha: number, r: number, rslora: boolean): number => (rslora ? alpha / Math.sqrt(r) : alpha / r);

/** LoRA on a Linear adds lora_A [r, in] and lora_B [out, r]. */
export const loraTrainableParams = (inFeatures: number, outFeatures: number, r: number): number => r * (inFeatures + outFeatures);

function loraInitRules(init: LoraInit, dims: Record<string, number>): { a: InitRule; b: InitRule } {
  switch (init) {
    case 'peft': {
      // kaiming_uniform_(a=√5) on [r, in]: bound = gain·√(3/fan_in) with gain = √(2/(1+5)), i.e. 1/√in.
      const bound = 1 / Math.sqrt(dims.in_features);
      return { a: { kind: 'uniform', low: -bound, high: bound }, b: { kind: 'constant', value: 0 } };
    }
    case 'gaussian':
      // PEFT's init_lora_weights="gaussian": nn.init.normal_(lora_A, std=1/r).
      return { a: { kind: 'normal', std: 1 / dims.r }, b: { kind: 'constant', value: 0 } };
    case 'random':
      return { a: { kind: 'normal', std: 0.01 }, b: { kind: 'normal', std: 0.01 } };
  }
}

export const lora: ForwardMethod<LoraOptions> = {
  name: 'lora',
  specs(options, dims) {
    const { a, b } = loraInitRules(options.init, dims);
    return [
      { name: 'x', dims: ['in_features'], leading: ['batch', 'seq'], init: { kind: 'normal', std: 1 } },
      { name: 'weight', dims: ['out_features', 'in_features'], init: { kind: 'normal', std: 0.1 } },
      { name: 'bias', dims: ['out_features'], init: { kind: 'absent' } },
      { name: 'lora_A', dims: ['r', 'in_features'], init: a },
      { name: 'lora_B', dims: ['out_features', 'r'], init: b },
    ];
  },
  // A rank above min(in, out) cannot add rank: the update B·A is at most min(in, out) wide.
  check: ({ in_features: n, out_features: m, r }) =>
    r <= Math.min(n, m) ? [] : [{ path: 'body.r', message: `must be at most min(in_features=${n}, out_features=${m}) = ${Math.min(n, m)}, got ${r}` }],
  size({ in_features: n, out_features: m, r }, rows, o) {
    const inputs = rows * n + m * n + (o.has_bias ? m : 0) + r * n + m * r;
    // unmerged: Wᵀ, Aᵀ, Bᵀ copies, x·Aᵀ, its ·Bᵀ, y
    const unmerged = { flops: linearFlops(rows, n, m, o.has_bias) + 2 * rows * n * r + 2 * rows * r * m + 2 * rows * m, elements: m * n + r * n + m * r + rows * r + 2 * rows * m };
    // merged: B·A, W + s·B·A, its transpose, y
    const merged = { flops: 2 * m * r * n + 2 * m * n + linearFlops(rows, n, m, o.has_bias), elements: 3 * m * n + rows * m };
    const paths = o.verify ? [unmerged, merged] : o.merged ? [merged] : [unmerged];
    return {
      flops: paths.reduce((s, p) => s + p.flops, 0),
      elements: inputs + paths.reduce((s, p) => s + p.elements, 0),
      output_elements: rows * m,
    };
  },
  compute(t, { in_features: n, out_features: m, r }, rows, o, dtype) {
    const scaling = loraScaling(o.lora_alpha, r, o.use_rslora);
    const bias = t.bias?.data;
    const unmergedPass = () => {
      const y = linear(t.x.data, t.weight.data, bias, rows, n, m);
      const down = linear(t.x.data, t.lora_A.data, undefined, rows, n, r); // (x·Aᵀ) first: rows·r is small
      return addScaledInPlace(y, linear(down, t.lora_B.data, undefined, rows, r, m), scaling);
    };
    const mergedPass = () => {
      const merged = t.weight.data.slice();
      addScaledInPlace(merged, matmul(t.lora_B.data, t.lora_A.data, m, r, n, allocateData(dtype, m * n)), scaling);
      return linear(t.x.data, merged, bias, rows, n, m);
    };
    const primary = o.merged ? mergedPass() : unmergedPass();
    const extras: Record<string, number | boolean | string> = { scaling, merged: o.merged };
    if (o.verify) extras.max_abs_diff = maxAbsDiff(primary, o.merged ? unmergedPass() : mergedPass());
    const outShape = [...t.x.shape.slice(0, -1), m];
    const y: Tensor = { shape: outShape, data: primary };
    return { outputs: { y }, extras };
  },
  trainableParams: ({ in_features, out_features, r }) => loraTrainableParams(in_features, out_features, r),
};
