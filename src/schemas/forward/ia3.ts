import { z } from 'zod';
import { dimensionField, forwardCommonFields, forwardResponseFields, OutputTensorSchema, tensorField } from './common.js';

export const Ia3ForwardBodySchema = z
  .object({
    ...forwardCommonFields,
    in_features: dimensionField('Input width of the Linear.'),
    out_features: dimensionField('Output width of the Linear.'),
    x: tensorField('Input [..., in_features]. Drawn as [batch, seq, in_features] ~ N(0, 1).'),
    weight: tensorField('Frozen weight [out_features, in_features]. Drawn ~ N(0, 0.1²).'),
    bias: tensorField('Optional frozen bias [out_features]. Never drawn: absent means no bias.'),
    ia3_l: tensorField('The IA3 vector: [in_features] when feedforward, else [out_features]. Ones when absent (PEFT init).'),
    feedforward: z.boolean().default(false).describe('A feedforward module scales its input, (x ⊙ l)·Wᵀ + b; otherwise the output, (x·Wᵀ + b) ⊙ l.'),
  })
  .describe('Draw order for missing tensors: x, weight (ia3_l is ones, as PEFT initialises it).')
  .meta({ examples: [{ seed: 42, batch: 4, seq: 16, in_features: 512, out_features: 512, feedforward: true }] });

export const Ia3ForwardResponseSchema = z.object({
  ...forwardResponseFields,
  y: OutputTensorSchema.describe('Shape [..., out_features].'),
  feedforward: z.boolean(),
});
