import { z } from 'zod';
import { NON_LINEARITIES } from '../../tensor/activations.js';
import { dimensionField, forwardCommonFields, forwardResponseFields, OutputTensorSchema, tensorField } from './common.js';

export const AdapterForwardBodySchema = z
  .object({
    ...forwardCommonFields,
    d_model: dimensionField('Hidden size d.'),
    bottleneck: dimensionField('Bottleneck size b.'),
    x: tensorField('Input [..., d_model]. Drawn as [batch, seq, d_model] ~ N(0, 1).'),
    down_weight: tensorField('Down projection [bottleneck, d_model]. Drawn ~ N(0, 0.1²).'),
    up_weight: tensorField('Up projection [d_model, bottleneck]. Drawn ~ N(0, 0.1²).'),
    down_bias: tensorField('[bottleneck]; zeros when absent (as the notebook).'),
    up_bias: tensorField('[d_model]; zeros when absent (as the notebook).'),
    non_linearity: z
      .enum(NON_LINEARITIES)
      .default('relu')
      .describe('relu (the notebook), gelu (exact, with erf), gelu_tanh (tanh approximation), silu, tanh.'),
    scaling: z.number().default(1).describe('Multiplies the adapter output (AdapterHub scaling).'),
    residual: z.boolean().default(true).describe('Add x to the adapter output.'),
    layer_norm_before: z.boolean().default(false).describe('Apply a LayerNorm to x before the down projection (AdapterHub ln_before).'),
    ln_weight: tensorField('[d_model]; ones when absent.'),
    ln_bias: tensorField('[d_model]; zeros when absent.'),
    ln_eps: z.number().positive().default(1e-5).describe('LayerNorm epsilon (torch default 1e-5).'),
  })
  .describe('Draw order for missing tensors: x, down_weight, up_weight (biases and LayerNorm are constants).')
  .meta({ examples: [{ seed: 42, batch: 4, seq: 16, d_model: 512, bottleneck: 64, non_linearity: 'relu' }] });

export const AdapterForwardResponseSchema = z.object({
  ...forwardResponseFields,
  y: OutputTensorSchema.describe('x + scaling·(act(x·down_weightᵀ + down_bias)·up_weightᵀ + up_bias), shape of x.'),
  non_linearity: z.enum(NON_LINEARITIES),
});
