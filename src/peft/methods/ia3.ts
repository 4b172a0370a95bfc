import { multiplyRowVectorInPlace } from '../../tensor/elementwise.js';
import { linear, linearFlops } from '../forward/linear.js';
import type { ForwardMethod } from '../forward/method.js';

export interface Ia3Options {
  feedforward: boolean;
  has_bias: boolean;
}

/** IA3 adds one vector per module: size in for a feedforward module (it scales the input), out otherwise. */
export const ia3TrainableParams = (inFeatures: number, outFeatures: number, feedforward: boolean): number =>
  feedforward ? inFeatures : outFeatures;

export const ia3: ForwardMethod<Ia3Options> = {
  name: 'ia3',
  specs: (o) => [
    { name: 'x', dims: ['in_features'], leading: ['batch', 'seq'], init: { kind: 'normal', std: 1 } },
    { name: 'weight', dims: ['out_features', 'in_features'], init: { kind: 'normal', std: 0.1 } },
    { name: 'bias', dims: ['out_features'], init: { kind: 'absent' } },
    // PEFT initialises ia3_l to ones (init_ia3_weights=True): a constant, not a draw.
    { name: 'ia3_l', dims: [o.feedforward ? 'in_features' : 'out_features'], init: { kind: 'constant', value: 1 } },
  ],
  size({ in_features: n, out_features: m }, rows, o) {
    return {
      flops: linearFlops(rows, n, m, o.has_bias) + rows * (o.feedforward ? n : m),
      elements: rows * n + 2 * m * n + (o.has_bias ? m : 0) + (o.feedforward ? n + rows * n : m) + rows * m,
      output_elements: rows * m,
    };
  },
  compute(t, { in_features: n, out_features: m }, rows, o) {
    const l = t.ia3_l.data;
    const bias = t.bias?.data;
    let y;
    if (o.feedforward) {
      // y = (x ⊙ l)·Wᵀ + b, scaling a copy: x itself is the caller's tensor
      y = linear(multiplyRowVectorInPlace(t.x.data.slice(), l), t.weight.data, bias, rows, n, m);
    } else {
      // y = (x·Wᵀ + b) ⊙ l
      y = multiplyRowVectorInPlace(linear(t.x.data, t.weight.data, bias, rows, n, m), l);
    }
    return { outputs: { y: { shape: [...t.x.shape.slice(0, -1), m], data: y } }, extras: {} };
  },
  trainableParams: ({ in_features, out_features }, o) => ia3TrainableParams(in_features, out_features, o.feedforward),
};
