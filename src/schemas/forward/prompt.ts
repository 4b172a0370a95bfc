import { z } from 'zod';
import { dimensionField, forwardCommonFields, forwardResponseFields, OutputTensorSchema, tensorField } from './common.js';

export const MAX_INIT_TOKEN_IDS = 65_536;
export const TokenIdSchema = z.number().int().min(0);

export const PromptForwardBodySchema = z
  .object({
    ...forwardCommonFields,
    d_model: dimensionField('Embedding width d.'),
    num_virtual_tokens: dimensionField('Number of virtual tokens n.'),
    vocab_size: dimensionField('Rows of a drawn embedding_table (TEXT init).'),
    inputs_embeds: tensorField('[batch, seq, d_model]. Drawn ~ N(0, 1).'),
    attention_mask: tensorField('[batch, seq]; ones when absent.'),
    prompt_init: z
      .enum(['random', 'text'])
      .default('random')
      .describe('random: prompt_embeddings given or drawn ~ N(0, 1) (nn.Embedding init). text: rows of embedding_table at init_token_ids, repeated or truncated to n (PEFT TEXT init).'),
    prompt_embeddings: tensorField('[num_virtual_tokens, d_model] (prompt_init random).'),
    embedding_table: tensorField('The word embedding table [vocab_size, d_model] (prompt_init text). Drawn ~ N(0, 1).'),
    init_token_ids: z.array(TokenIdSchema).max(MAX_INIT_TOKEN_IDS).default([]).describe('Token ids of the init text (prompt_init text).'),
  })
  .describe('Draw order for missing tensors: inputs_embeds, prompt_embeddings (random) or embedding_table (text).')
  .meta({ examples: [{ seed: 42, batch: 4, seq: 16, d_model: 512, num_virtual_tokens: 10 }] });

export const PromptForwardResponseSchema = z.object({
  ...forwardResponseFields,
  inputs_embeds: OutputTensorSchema.describe('[batch, num_virtual_tokens + seq, d_model], the prompt first.'),
  attention_mask: OutputTensorSchema.describe('[batch, num_virtual_tokens + seq]: ones for the prompt, then the input mask.'),
});
