import { z } from 'zod';
import { TaskTypeSchema } from './model.js';

export const PresetSummarySchema = z.object({
  id: z.string().describe('Hub repo id, e.g. "meta-llama/Llama-2-7b-hf".'),
  model_type: z.string(),
  task_type: TaskTypeSchema.describe('Class the parameter count is for: the LM head for generative models, the bare model otherwise.'),
  parameter_count: z.number().int().describe('sum(numel), tied weights once.'),
});

export const ModelsResponseSchema = z.object({ models: z.array(PresetSummarySchema) });

export const ModelParamsSchema = z.object({
  org: z.string().meta({ examples: ['meta-llama'] }).describe('The part of the preset id before the slash.'),
  name: z.string().meta({ examples: ['Llama-2-7b-hf'] }).describe('The part after the slash.'),
});

export const ModelQuerySchema = z.object({
  task_type: TaskTypeSchema.optional().describe('Count the inventory for this task class instead of the default one.'),
});

export const ModelDetailSchema = z.object({
  id: z.string(),
  model_type: z.string(),
  source: z.string().describe('Where the config comes from: the config.json as the Hub serves it, or one written from the model card\'s published dimensions (which, and how checked).'),
  config: z.record(z.string(), z.unknown()).describe('The config.json: as the Hub serves it, or written from published dimensions (see source).'),
  inventory: z.object({
    model_class: z.string(),
    task_type: TaskTypeSchema,
    parameter_count: z.number().int(),
    module_count: z.number().int().describe('Modules that own parameters.'),
    params_by_role: z.record(z.string(), z.number().int()),
    params_by_kind: z.record(z.string(), z.number().int()),
    dims: z.object({
      model_type: z.string(),
      num_layers: z.number().int(),
      num_encoder_layers: z.number().int(),
      hidden_size: z.number().int(),
      num_attention_heads: z.number().int(),
      num_key_value_heads: z.number().int(),
      head_dim: z.number().int(),
      intermediate_size: z.number().int(),
      vocab_size: z.number().int(),
      mlp: z.enum(['gated', 'plain']),
      num_experts: z.number().int(),
      num_experts_per_token: z.number().int(),
      is_encoder_decoder: z.boolean(),
      tie_word_embeddings: z.boolean(),
    }),
  }),
});
