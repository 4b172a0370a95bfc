import { unprocessable } from '../../errors.js';
import { applyActivationInPlace, type NonLinearity } from '../../tensor/activations.js';
import { addScaledInPlace, scaleInPlace } from '../../tensor/elementwise.js';
import { layerNorm } from '../../tensor/layer-norm.js';
import { allocateData } from '../../tensor/tensor.js';
import { linear, linearFlops } from '../forward/linear.js';
import type { ForwardMethod } from '../forward/method.js';

export interface AdapterOptions {
  non_linearity: NonLinearity;
  scaling: number;
  residual: boolean;
  layer_norm_before: boolean;
  ln_eps: number;
}

/** AdapterHub's count: Linear(d→b) and Linear(b→d) with biases, plus a LayerNorm (2d) when ln_before. */
export const adapterTrainableParams = (d: number, b: number, layerNormBefore: boolean): number =>
  2 * d * b + d + b + (layerNormBefore ? 2 * d : 0);

/** FLOPs per element of LayerNorm: mean, centre, square-and-sum, normalise, affine multiply and add. */
const LAYER_NORM_FLOPS_PER_ELEMENT = 6;

export const adapter: ForwardMethod<AdapterOptions> = {
  name: 'adapter',
  specs: () => [
    { name: 'x', dims: ['d_model'], leading: ['batch', 'seq'], init: { kind: 'normal', std: 1 } },
    { name: 'down_weight', dims: ['bottleneck', 'd_model'], init: { kind: 'normal', std: 0.1 } },
    { name: 'up_weight', dims: ['d_model', 'bottleneck'], init: { kind: 'normal', std: 0.1 } },
    // The notebook (and AdapterHub's zero-init of the up bias) start biases at zero: no draws.
    { name: 'down_bias', dims: ['bottleneck'], init: { kind: 'constant', value: 0 } },
    { name: 'up_bias', dims: ['d_model'], init: { kind: 'constant', value: 0 } },
    { name: 'ln_weight', dims: ['d_model'], init: { kind: 'constant', value: 1 } },
    { name: 'ln_bias', dims: ['d_model'], init: { kind: 'constant', value: 0 } },
  ],
  checkOptions(o, given) {
    if (o.layer_norm_before) return;
    const issues = ['ln_weight', 'ln_bias'].filter((n) => given.has(n)).map((n) => ({ path: `body.${n}`, message: 'is only used with layer_norm_before: true' }));
    if (issues.length) throw unprocessable('LayerNorm tensors given without the LayerNorm.', issues);
  },
  size({ d_model: d, bottleneck: b }, rows, o) {
    const ln = o.layer_norm_before ? LAYER_NORM_FLOPS_PER_ELEMENT * rows * d : 0;
    return {
      // LN, down + bias, activation, up + bias, scaling, residual
      flops: ln + linearFlops(rows, d, b, true) + rows * b + linearFlops(rows, b, d, true) + rows * d + (o.residual ? rows * d : 0),
      // inputs, LN output, two transposed weights, hidden, up output
      elements: rows * d + 2 * d * b + b + 3 * d + (o.layer_norm_before ? rows * d : 0) + 2 * d * b + rows * b + rows * d,
      output_elements: rows * d,
    };
  },
  compute(t, { d_model: d, bottleneck: b }, rows, o, dtype) {
    const input = o.layer_norm_before
      ? layerNorm(t.x.data, d, t.ln_weight.data, t.ln_bias.data, o.ln_eps, allocateData(dtype, rows * d))
      : t.x.data;
    const hidden = applyActivationInPlace(linear(input, t.down_weight.data, t.down_bias.data, rows, d, b), o.non_linearity);
    const up = scaleInPlace(linear(hidden, t.up_weight.data, t.up_bias.data, rows, b, d), o.scaling);
    // AdapterHub adds the residual from the adapter's input x, before any LayerNorm.
    const y = o.residual ? addScaledInPlace(up, t.x.data, 1) : up;
    return { outputs: { y: { shape: [...t.x.shape], data: y } }, extras: {} };
  },
  trainableParams: ({ d_model, bottleneck }, o) => adapterTrainableParams(d_model, bottleneck, o.layer_norm_before),
};
