import { z } from 'zod';
import { LORA_INITS } from '../../peft/methods/lora.js';
import { dimensionField, forwardCommonFields, forwardResponseFields, OutputTensorSchema, tensorField } from './common.js';

export const LoraForwardBodySchema = z
  .object({
    ...forwardCommonFields,
    in_features: dimensionField('Input width of the Linear.'),
    out_features: dimensionField('Output width of the Linear.'),
    r: z.number().int().min(1).max(65_536).optional().describe('LoRA rank (≥ 1).'),
    x: tensorField('Input [..., in_features]. Drawn as [batch, seq, in_features] ~ N(0, 1).'),
    weight: tensorField('Frozen weight [out_features, in_features]. Drawn ~ N(0, 0.1²).'),
    bias: tensorField('Optional frozen bias [out_features]. Never drawn: absent means no bias.'),
    lora_A: tensorField('lora_A [r, in_features]. Drawn per init.'),
    lora_B: tensorField('lora_B [out_features, r]. Drawn per init.'),
    lora_alpha: z.number().default(8).describe('LoRA alpha (PEFT default 8).'),
    use_rslora: z.boolean().default(false).describe('Scale by lora_alpha/√r (rsLoRA) instead of lora_alpha/r.'),
    init: z
      .enum(LORA_INITS)
      .default('peft')
      .describe('How missing LoRA weights are drawn. peft: lora_A ~ U(−1/√in, 1/√in) (Kaiming-uniform, a=√5), lora_B = 0. gaussian: lora_A ~ N(0, (1/r)²), i.e. std 1/r as PEFT, lora_B = 0. random: both ~ N(0, 0.01²).'),
    merged: z.boolean().default(false).describe('Compute with weight + scaling·lora_B·lora_A instead of the unmerged path.'),
    verify: z.boolean().default(false).describe('Compute both paths and return their max_abs_diff.'),
  })
  .describe('Draw order for missing tensors: x, weight, lora_A, lora_B.')
  .meta({
    examples: [{ seed: 42, batch: 4, seq: 16, in_features: 512, out_features: 512, r: 16, lora_alpha: 16, init: 'random', verify: true }],
  });

export const LoraForwardResponseSchema = z.object({
  ...forwardResponseFields,
  y: OutputTensorSchema.describe('x·weightᵀ + bias + scaling·(x·lora_Aᵀ)·lora_Bᵀ, shape [..., out_features].'),
  scaling: z.number().describe('lora_alpha/r, or lora_alpha/√r with use_rslora.'),
  merged: z.boolean(),
  max_abs_diff: z.number().optional().describe('With verify: max |merged − unmerged|.'),
  total_params: z.number().int().describe('Frozen weight (and bias) plus the LoRA parameters.'),
});
