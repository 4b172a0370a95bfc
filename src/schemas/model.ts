import { z } from 'zod';

/** An HF config.json pasted as-is, or the id of a preset (e.g. "meta-llama/Llama-2-7b-hf"). */
export const ModelRefSchema = z
  .union([
    z.object({
      config: z
        .looseObject({ model_type: z.string().optional().describe('HF model_type, e.g. "llama", "gpt2", "t5" (absent or unknown: 422 listing the supported ones).') })
        .describe('A Hugging Face config.json, as-is: unknown keys are ignored.'),
    }),
    z.object({ preset: z.string().min(1).describe('A preset id from GET /v1/models, e.g. "meta-llama/Llama-2-7b-hf".') }),
  ])
  .meta({ id: 'ModelRef', description: 'Either {config: <config.json>} or {preset: <id>}.' });

export type ModelRef = z.infer<typeof ModelRefSchema>;

export const TASK_TYPES = [
  'CAUSAL_LM',
  'SEQ_CLS',
  'TOKEN_CLS',
  'SEQ_2_SEQ_LM',
  'QUESTION_ANS',
  'FEATURE_EXTRACTION',
  'IMAGE_CLASSIFICATION',
] as const;

export const TaskTypeSchema = z
  .enum(TASK_TYPES)
  .describe('PEFT task type; picks the model class (and so its head). IMAGE_CLASSIFICATION is ViTForImageClassification with no PEFT task type.');

export type TaskType = z.infer<typeof TaskTypeSchema>;

/** A request's top-level task_type: optional, because absent means "decide from the adapter, then the config". */
export const RequestTaskTypeSchema = TaskTypeSchema.optional().describe(
  'PEFT task type; picks the model class (and so its head). Absent: the adapter_config\'s own task_type, else the class in config.architectures[0], ' +
    'else the family default (its LM head for generative models, the bare model for encoders); the response\'s task_type_source says which decided. ' +
    'Given and different from the adapter\'s task_type: 422 naming both. IMAGE_CLASSIFICATION is ViTForImageClassification with no PEFT task type.',
);

/** Which input decided the task type, in the order they are tried (see RequestTaskTypeSchema). */
export const TASK_TYPE_SOURCES = ['request', 'adapter', 'architectures', 'family_default'] as const;

export const TaskTypeSourceSchema = z
  .enum(TASK_TYPE_SOURCES)
  .describe('What decided task_type: the top-level field, the adapter_config\'s task_type, config.architectures[0], or the family default.');

const TargetModulesSchema = z.union([z.array(z.string()), z.string()]).nullish();

/**
 * HF adapter_config.json as-is. Only peft_type is required; the method's own keys are read (and
 * checked) by the accounting code, and every other key is ignored, never rejected.
 */
export const PeftConfigSchema = z
  .looseObject({
    peft_type: z
      .string()
      .describe('LORA, IA3, LN_TUNING, PREFIX_TUNING, PROMPT_TUNING, P_TUNING, or BOTTLENECK (AdapterHub counting).'),
    // Typed unknown so that the accounting answers a bad r with its own 422; documented (and swept) as the integer it must be.
    r: z.unknown().meta({ type: 'integer' }).optional().describe('LoRA rank (a positive integer).'),
    lora_alpha: z.number().nullish(),
    target_modules: TargetModulesSchema.describe('A list (suffix match), a regex string (full match), or "all-linear".'),
    modules_to_save: z.array(z.string()).nullish(),
    num_virtual_tokens: z.number().int().positive().nullish(),
    adapter_name: z.string().optional().describe('Name of this adapter when several are stacked (default "default", then "adapter_1", ...).'),
    task_type: TaskTypeSchema.nullish().describe('The adapter\'s own task type; used when the request has no top-level task_type, and must agree with it when it does.'),
  })
  .meta({ id: 'PeftConfig', description: 'A PEFT adapter_config.json as-is (unknown keys ignored).' });

export type PeftConfig = z.infer<typeof PeftConfigSchema>;

/** One adapter, or several stacked on the same base model. */
export const PeftInputSchema = z.union([PeftConfigSchema, z.array(PeftConfigSchema).min(1).max(16)]);

export type PeftInput = z.infer<typeof PeftInputSchema>;
