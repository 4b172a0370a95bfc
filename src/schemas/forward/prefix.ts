import { z } from 'zod';
import { dimensionField, forwardCommonFields, forwardResponseFields, OutputTensorSchema, tensorField } from './common.js';

export const PrefixForwardBodySchema = z
  .object({
    ...forwardCommonFields,
    d_model: dimensionField('Hidden size d.'),
    num_heads: z.number().int().min(1).max(4096).describe('Attention heads; must divide d_model.'),
    prefix_length: dimensionField('Prefix length p (num_virtual_tokens).'),
    encoder_hidden_size: dimensionField('Hidden size of the projection (prefix_projection); default d_model.'),
    x: tensorField('Input [batch, seq, d_model]. Drawn ~ N(0, 1).'),
    q_weight: tensorField('[d_model, d_model]. Drawn ~ N(0, 0.1²).'),
    k_weight: tensorField('[d_model, d_model]. Drawn ~ N(0, 0.1²).'),
    v_weight: tensorField('[d_model, d_model]. Drawn ~ N(0, 0.1²).'),
    o_weight: tensorField('[d_model, d_model]. Drawn ~ N(0, 0.1²).'),
    prefix_keys: tensorField('[prefix_length, d_model], already in key space (as past_key_values). Drawn ~ N(0, 0.1²).'),
    prefix_values: tensorField('[prefix_length, d_model], already in value space. Drawn ~ N(0, 0.1²).'),
    prefix_projection: z.boolean().default(false).describe("PEFT's reparameterization: keys and values = Linear(tanh(Linear(embedding))), split key half then value half."),
    prefix_embedding: tensorField('[prefix_length, d_model] (prefix_projection). Drawn ~ N(0, 0.1²).'),
    projection_in_weight: tensorField('[encoder_hidden_size, d_model] (prefix_projection). Drawn ~ N(0, 0.1²).'),
    projection_in_bias: tensorField('[encoder_hidden_size]; zeros when absent.'),
    projection_out_weight: tensorField('[2·d_model, encoder_hidden_size] (prefix_projection). Drawn ~ N(0, 0.1²).'),
    projection_out_bias: tensorField('[2·d_model]; zeros when absent.'),
    causal: z.boolean().default(false).describe('Real tokens see only earlier tokens; prefix positions are always visible.'),
    return_attention: z.boolean().default(false).describe('Also return the attention weights [batch, heads, seq, prefix_length + seq].'),
  })
  .describe(
    'Draw order for missing tensors: x, q_weight, k_weight, v_weight, o_weight, then prefix_keys, prefix_values, ' +
      'or with prefix_projection prefix_embedding, projection_in_weight, projection_out_weight (biases are zeros).',
  )
  .meta({ examples: [{ seed: 42, batch: 4, seq: 16, d_model: 512, num_heads: 8, prefix_length: 10, causal: true }] });

export const PrefixForwardResponseSchema = z.object({
  ...forwardResponseFields,
  y: OutputTensorSchema.describe('softmax(q·[prefix_keys; k]ᵀ/√head_dim)·[prefix_values; v] per head, concatenated, ·o_weightᵀ: [batch, seq, d_model].'),
  prefix_attention_mass: OutputTensorSchema.describe('[batch, heads, seq]: the share of each query\'s attention on the prefix.'),
  attention: OutputTensorSchema.optional().describe('With return_attention: [batch, heads, seq, prefix_length + seq], prefix columns first.'),
  head_dim: z.number().int(),
  causal: z.boolean(),
});
