import { z } from 'zod';
import { ModelRefSchema, PeftInputSchema, RequestTaskTypeSchema, TaskTypeSchema, TaskTypeSourceSchema } from './model.js';

export const QuantizationSchema = z
  .enum(['none', '8bit', '4bit'])
  .describe('bitsandbytes loading. 8-bit weights count at full size; 4-bit ones are packed and PEFT multiplies them back by 2.');

export const ParametersRequestSchema = z
  .object({
    model: ModelRefSchema,
    task_type: RequestTaskTypeSchema,
    num_labels: z.number().int().positive().max(1_000_000).optional().describe('Labels of a classification head (default: the config\'s id2label size, else 2).'),
    peft: PeftInputSchema.optional().describe('adapter_config.json as-is, or an array of them to stack. Absent: full fine-tuning.'),
    quantization: QuantizationSchema.default('none'),
    detail: z.enum(['summary', 'modules']).default('summary').describe('"modules" adds the per-module table.'),
  })
  .meta({
    examples: [
      {
        model: { preset: 'meta-llama/Llama-2-7b-hf' },
        task_type: 'CAUSAL_LM',
        peft: { peft_type: 'LORA', r: 16, lora_alpha: 32, target_modules: ['q_proj', 'v_proj'], lora_dropout: 0.05, bias: 'none', task_type: 'CAUSAL_LM' },
        detail: 'summary',
      },
    ],
  });

export type ParametersRequest = z.infer<typeof ParametersRequestSchema>;

const AttachmentSchema = z.object({
  peft_type: z.string(),
  adapter_name: z.string(),
  params: z.number().int(),
  r: z.number().int().optional(),
  in_features: z.number().int().optional(),
  out_features: z.number().int().optional(),
  use_dora: z.boolean().optional(),
});

export const ModuleRowSchema = z.object({
  name: z.string(),
  kind: z.string(),
  role: z.string(),
  base_params: z.number().int(),
  added_params: z.number().int(),
  trainable_params: z.number().int(),
  attachments: z.array(AttachmentSchema),
});

const AdapterSummarySchema = z.object({
  adapter_name: z.string(),
  peft_type: z.string(),
  added_params: z.number().int(),
  base_params_made_trainable: z.number().int(),
  checkpoint_params: z.number().int(),
  adapted_modules: z.number().int(),
});

export const ParametersResponseSchema = z.object({
  model_type: z.string(),
  model_class: z.string().describe('The transformers class counted, e.g. LlamaForCausalLM.'),
  task_type: TaskTypeSchema,
  task_type_source: TaskTypeSourceSchema,
  quantization: QuantizationSchema,
  trainable_params: z.number().int(),
  all_params: z.number().int(),
  trainable_percent: z.number().describe('100 · trainable / all, unrounded.'),
  printed: z.string().describe('The line PEFT v0.20 print_trainable_parameters() prints, exactly.'),
  base_params: z.number().int().describe('Base model parameters, tied weights once.'),
  added_params: z.number().int().describe('Parameters the adapters add (their weights and modules_to_save copies).'),
  virtual_tokens: z.number().int(),
  checkpoint_params: z.number().int().describe('Parameters in the saved adapter checkpoint (full model for full fine-tuning).'),
  adapter_checkpoint_bytes: z
    .object({ fp32: z.number().int(), bf16: z.number().int() })
    .describe('Tensor payload of the saved adapter (safetensors header not included).'),
  adapters: z.array(AdapterSummarySchema),
  warnings: z.array(z.string()),
  conventions: z.array(z.string()).describe('Choices behind these numbers, named.'),
  modules: z.array(ModuleRowSchema).optional().describe('Per-module table (detail: "modules").'),
});

export type ParametersResponse = z.infer<typeof ParametersResponseSchema>;
