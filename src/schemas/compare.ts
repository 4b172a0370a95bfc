import { z } from 'zod';
import { ComputeRequestSchema, MemoryRequestSchema, ParallelismSchema, TrainingSetupSchema } from './estimates.js';
import { ResultFormatSchema } from './sweeps.js';

export const COMPARE_METHODS = ['full', 'lora', 'bottleneck', 'prefix', 'prompt', 'ia3'] as const;
export type CompareMethod = (typeof COMPARE_METHODS)[number];

export const CompareMethodSchema = z.object({
  method: z.enum(COMPARE_METHODS).describe('full (no adapter), lora, bottleneck (AdapterHub), prefix, prompt or ia3.'),
  label: z.string().min(1).max(100).optional().describe('Display name; default: the method with its key setting ("LoRA r=16").'),
  config: z
    .looseObject({})
    .optional()
    .describe('The method\'s adapter_config.json keys (r, target_modules, num_virtual_tokens, reduction_factor, ...); peft_type follows from method. Not for full.'),
});

export const CustomCompareSchema = z.object({
  model: ComputeRequestSchema.shape.model,
  task_type: ComputeRequestSchema.shape.task_type,
  num_labels: ComputeRequestSchema.shape.num_labels,
  training: ComputeRequestSchema.shape.training,
  parallelism: MemoryRequestSchema.shape.parallelism.describe('As POST /v1/estimates/memory takes it: each row then also gives what one GPU (and one host) holds under the strategy.'),
  methods: z.array(CompareMethodSchema).min(1).max(16).describe('One row each, in this order.'),
  format: ResultFormatSchema,
});

const PresetCompareSchema = z.object({
  preset: z.enum(['seed-notebook']).describe("seed-notebook: the seed notebook's setup (d_model 512, 12 layers, LoRA r=16 α=16, bottleneck 64, prefix 10, batch 4, seq 16) and every figure it printed."),
  format: ResultFormatSchema,
});

export const CompareRequestSchema = z
  .union([PresetCompareSchema, CustomCompareSchema])
  .describe('A preset, or one model, one training setup and a list of methods.')
  .meta({
    examples: [
      {
        model: { preset: 'meta-llama/Llama-2-7b-hf' },
        task_type: 'CAUSAL_LM',
        training: { batch_size: 1, seq_len: 1024, dtype: 'bf16' },
        methods: [
          { method: 'full' },
          { method: 'lora', config: { r: 16, lora_alpha: 32, target_modules: ['q_proj', 'v_proj'] } },
          { method: 'bottleneck', config: { config: 'seq_bn', reduction_factor: 16 } },
          { method: 'prefix', config: { num_virtual_tokens: 20 } },
          { method: 'prompt', config: { num_virtual_tokens: 20 } },
          { method: 'ia3' },
        ],
      },
      { preset: 'seed-notebook' },
      {
        model: { preset: 'meta-llama/Llama-2-13b-hf' },
        task_type: 'CAUSAL_LM',
        training: { batch_size: 1, seq_len: 2048, dtype: 'bf16', gradient_checkpointing: true },
        parallelism: { strategy: 'zero3', num_gpus_per_node: 4, num_nodes: 1 },
        methods: [
          { method: 'full' },
          { method: 'lora', config: { r: 16, lora_alpha: 32, target_modules: 'all-linear' } },
          { method: 'ia3' },
        ],
      },
    ],
  });

export type CompareRequest = z.output<typeof CompareRequestSchema>;
export type CustomCompareRequest = z.output<typeof CustomCompareSchema>;

const CompareRowSchema = z.object({
  method: z.enum(COMPARE_METHODS),
  label: z.string(),
  trainable_params: z.number().int(),
  trainable_percent: z.number().describe('100 · trainable / all, unrounded.'),
  adapter_checkpoint_bytes: z.number().int().describe('The saved checkpoint in training.dtype: the adapter alone, every parameter for full fine-tuning.'),
  training_memory_bytes: z.number().int().describe('Peak training memory on one GPU (POST /v1/estimates/memory total_bytes).'),
  per_gpu_memory_bytes: z.number().int().optional().describe('With parallelism: what one GPU holds under the strategy (POST /v1/estimates/memory per_gpu.total_bytes).'),
  per_cpu_memory_bytes: z.number().int().optional().describe('With parallelism: what one host holds, offloaded shards (per_cpu.total_bytes).'),
  strategy: z.string().optional().describe('With parallelism: the strategy as it runs (parallelism.effective_strategy: FSDP on one GPU is fsdp_no_shard).'),
  training_flops_per_token: z.number().describe('Training FLOPs per token (POST /v1/estimates/compute training.total).'),
  relative_training_speed: z.number().describe('Full fine-tuning\'s training FLOPs over this method\'s (full = 1): FLOP-derived, an upper bound on a measured speed-up.'),
  inference_overhead_flops_per_token: z.number().describe('Inference FLOPs per token the method adds, unmerged (as loaded with the adapter).'),
  inference_overhead_merged_flops_per_token: z.number().describe('The same after merging (LoRA and IA3 merge into the weights: 0).'),
  printed: z.string().describe("PEFT's print_trainable_parameters() line for this method."),
});

const NotebookFigureSchema = z.object({
  figure: z.string().describe('What the notebook printed it as.'),
  notebook_printed: z.string().describe('The notebook\'s printed text for the number.'),
  value: z.number(),
  formatted: z.string().describe('value formatted as the notebook formats it; equals notebook_printed.'),
  unit: z.string(),
  counts: z.string().describe('What the number actually counts.'),
  request: z.record(z.string(), z.unknown()).describe('The POST /v1/parameters body that computes it.'),
  read: z.string().describe('The response field it is read from, and any arithmetic the notebook applied to it.'),
});

const InventedSchema = z.object({
  column: z.string(),
  notebook_values: z.record(z.string(), z.number()).describe('By the notebook\'s method names (Full FT, LoRA, Adapter, Prefix).'),
  invented: z.literal(true),
  why: z.string(),
  computed: z.record(z.string(), z.number()).describe('The computed counterpart by the same names, from `rows` (empty when nothing computable corresponds).'),
  computed_from: z.string(),
});

export const CompareResponseSchema = z.object({
  model: z.string().describe('The model compared on: a preset id, or the config\'s model_type.'),
  training: TrainingSetupSchema.describe('The training setup every row uses, defaults filled in.'),
  parallelism: ParallelismSchema.optional().describe('With parallelism: the setup every row uses, defaults filled in.'),
  rows: z.array(CompareRowSchema),
  units: z.record(z.string(), z.string()).describe('Unit per numeric column of rows.'),
  notes: z.array(z.string()).describe('What the columns count, and the conventions behind them.'),
  notebook: z
    .object({
      source: z.string(),
      figures: z.array(NotebookFigureSchema).describe('Every figure the notebook printed, recomputed on the model it really counts.'),
      invented: z.array(InventedSchema).describe('The notebook\'s made-up columns, with the computed ones next to them.'),
    })
    .optional()
    .describe('With preset "seed-notebook".'),
});
