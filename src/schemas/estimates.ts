import { z } from 'zod';
import { MAX_MICRO_BATCH } from '../peft/estimates/gpus.js';
import { DEEPSPEED_PREFETCH_BUCKET, DEEPSPEED_REDUCE_BUCKET, MAX_TOTAL_GPUS, STRATEGIES } from '../peft/estimates/parallelism.js';
import { ModelRefSchema, PeftInputSchema, RequestTaskTypeSchema, TaskTypeSchema, TaskTypeSourceSchema } from './model.js';

export const DEFAULT_OVERHEAD_BYTES = 805306368; // 0.75 GiB: CUDA context and kernels

export const TrainingSetupSchema = z
  .object({
    batch_size: z.number().int().min(1).max(MAX_MICRO_BATCH).default(1).describe('Micro-batch size (sequences per step on one GPU).'),
    seq_len: z.number().int().min(1).max(1048576).default(1024).describe('Tokens per sequence.'),
    dtype: z.enum(['bf16', 'fp16', 'fp32']).default('bf16').describe('dtype the weights are stored (and frozen weights kept) in.'),
    mixed_precision: z.boolean().default(true).describe('16-bit compute with an fp32 master copy of the trainable weights (conventions zero and hf-docs).'),
    quantization: z.enum(['none', 'int8', 'nf4', 'nf4-dq']).default('none').describe('bitsandbytes quantization of the frozen block Linears (QLoRA: nf4 / nf4-dq).'),
    optimizer: z.enum(['adamw', 'adamw_8bit', 'sgd', 'sgd_momentum']).default('adamw'),
    gradient_checkpointing: z.boolean().default(false).describe('Full activation checkpointing: keep only block inputs, recompute one block at a time.'),
    convention: z
      .enum(['zero', 'hf-docs', 'pure-bf16', 'accelerate', 'deepspeed'])
      .default('zero')
      .describe(
        "Bytes per trainable parameter, given here for AdamW with a 16-bit dtype under mixed precision (other setups change them): zero 16 (ZeRO paper), hf-docs 18 (HF model memory anatomy), pure-bf16 8 (LLaMA-Factory pure_bf16); accelerate = `accelerate estimate-memory` (largest stage); deepspeed = DeepSpeed's estimate_zero2/zero3_model_states_mem_needs exactly (needs parallelism.strategy zero2 or zero3), which size every parameter as trained and count model states only.",
      ),
    overhead_bytes: z.number().int().min(0).default(DEFAULT_OVERHEAD_BYTES).describe('Runtime overhead (CUDA context, kernels, allocator slack); default 0.75 GiB.'),
    attn_implementation: z
      .enum(['eager', 'sdpa'])
      .default('sdpa')
      .describe('HF attn_implementation: eager keeps the a·s² attention probabilities; sdpa (and flash_attention_2) keep only the output and log-sum-exp.'),
    bnb_4bit_keeps_input: z
      .boolean()
      .default(false)
      .describe("bitsandbytes ≤ 0.41 (QLoRA paper, LitGPT's 2023 tables) kept every 4-bit Linear's input for backward (ctx.tensors = (A, B)); later releases keep only the packed weight ((None, B)). int8 always keeps it."),
  })
  .describe('The training setup.');

export const GpuInputSchema = z.object({
  name: z.string().min(1).describe('A catalogue name (e.g. "A100-40GB") or any name when bytes is given.'),
  bytes: z.number().int().min(1).optional().describe('Device memory in bytes; required for a GPU not in the catalogue.'),
});

export const ParallelismSchema = z
  .object({
    strategy: z
      .enum(STRATEGIES)
      .default('ddp')
      .describe('ddp replicates everything; ZeRO-1 shards optimizer states (and fp32 master weights), ZeRO-2 and FSDP SHARD_GRAD_OP also gradients, ZeRO-3 and FSDP FULL_SHARD also parameters (frozen and quantized ones included).'),
    num_gpus_per_node: z.number().min(1).max(MAX_TOTAL_GPUS).meta({ type: 'integer' }).default(1).describe('GPUs (processes) per node: a whole number (422 otherwise).'),
    num_nodes: z.number().min(1).max(MAX_TOTAL_GPUS).meta({ type: 'integer' }).default(1).describe('Nodes: a whole number (422 otherwise); per_cpu is one node.'),
    offload_optimizer: z.enum(['none', 'cpu']).default('none').describe('ZeRO-Offload: optimizer states, fp32 master weights and fp32 gradient partitions on the CPU (ZeRO 1/2/3 only).'),
    offload_params: z.enum(['none', 'cpu']).default('none').describe('Parameter shards on the CPU (ZeRO-3, or FSDP CPUOffload, which also moves gradients and the optimizer step).'),
    zero_init: z.boolean().default(true).describe("ZeRO-3's deepspeed.zero.Init (DeepSpeed's estimator uses it for the CPU figure)."),
    reduce_bucket_size: z.number().int().min(0).max(1e10).default(DEEPSPEED_REDUCE_BUCKET).describe("DeepSpeed's reduce_bucket_size in elements (its default 5e8): ZeRO's gradient reduce bucket on each GPU."),
    stage3_prefetch_bucket_size: z.number().int().min(0).max(1e10).default(DEEPSPEED_PREFETCH_BUCKET).describe("DeepSpeed's stage3_prefetch_bucket_size in elements (its default 5e7): ZeRO-3 parameters gathered ahead of use."),
  })
  .describe('Data parallelism across GPUs; absent means one GPU, as without it.');

const EstimateBodyBase = {
  model: ModelRefSchema,
  task_type: RequestTaskTypeSchema,
  num_labels: z.number().int().min(1).max(1_000_000).optional(),
  peft: PeftInputSchema.optional().describe('A PEFT adapter_config.json (or a list, stacked); absent for full fine-tuning.'),
  training: TrainingSetupSchema.prefault({}),
};

const EXAMPLE = {
  model: { preset: 'meta-llama/Llama-2-7b-hf' },
  task_type: 'CAUSAL_LM',
  peft: { peft_type: 'LORA', r: 8, lora_alpha: 16, lora_dropout: 0.05, target_modules: ['q_proj', 'v_proj'] },
  training: { batch_size: 1, seq_len: 1024, dtype: 'bf16', mixed_precision: true, quantization: 'none', optimizer: 'adamw', gradient_checkpointing: false, convention: 'zero', overhead_bytes: 805306368 },
};

export const MemoryRequestSchema = z
  .object({
    ...EstimateBodyBase,
    gpus: z.array(GpuInputSchema).max(64).optional().describe('GPUs to check the fit on; default T4-16GB, RTX-4090-24GB, A100-40GB, A100-80GB, H100-80GB.'),
    parallelism: ParallelismSchema.optional(),
  })
  .meta({
    examples: [
      { ...EXAMPLE, gpus: [{ name: 'A100-40GB', bytes: 42949672960 }] },
      { ...EXAMPLE, training: { ...EXAMPLE.training, gradient_checkpointing: true }, parallelism: { strategy: 'zero3', num_gpus_per_node: 8, num_nodes: 1 }, gpus: [{ name: 'RTX-4090-24GB' }, { name: 'H100-80GB' }] },
    ],
  });

export const ComputeRequestSchema = z.object(EstimateBodyBase).meta({ examples: [EXAMPLE] });

const TermSchema = z.object({ bytes: z.number().int(), human: z.string().describe('GiB (2^30 bytes)'), formula: z.string() });
const TensorSchema = z.object({ name: z.string(), bytes_per_token: z.number() });

const PerGpuSchema = z
  .object({
    total_bytes: z.number().int(),
    total_human: z.string(),
    breakdown: z.object({
      weights: TermSchema.describe('Parameter shards (or all parameters) resident on this GPU, plus the dequantized workspace.'),
      gathered: TermSchema.describe('ZeRO-3 / FSDP: the unit gathered for compute (named in parallelism.gathered_unit).'),
      gradients: TermSchema,
      optimizer_states: TermSchema,
      master_weights: TermSchema,
      buffers: TermSchema.describe('Communication buffers: DDP gradient buckets, ZeRO reduce bucket.'),
      activations: TermSchema,
      logits: TermSchema,
      overhead: TermSchema,
    }),
  })
  .describe('What one GPU holds at the peak.');

const PerCpuSchema = z
  .object({
    total_bytes: z.number().int(),
    total_human: z.string(),
    breakdown: z.object({ weights: TermSchema, gradients: TermSchema, optimizer_states: TermSchema, master_weights: TermSchema }),
    pinned_bytes: z.number().int().describe('Of total_bytes, the page-locked part (DeepSpeed: pinned memory is part of these allocations, not extra).'),
  })
  .describe('What one host (node) holds for its GPUs: offloaded shards.');

const DeepSpeedRowSchema = z.object({
  options: z.string(),
  offload_optimizer: z.enum(['none', 'cpu']),
  offload_params: z.enum(['none', 'cpu']),
  zero_init: z.boolean().nullable(),
  cpu_bytes: z.number().int(),
  gpu_bytes: z.number().int(),
  printed: z.string(),
});

const DeepSpeedSchema = z
  .object({
    function: z.string(),
    total_params: z.number().int(),
    largest_layer: z.object({ name: z.string(), params: z.number().int() }),
    printed: z.array(z.string()).describe('What DeepSpeed\'s ..._all_cold prints for these counts (GB there are GiB).'),
    rows: z.array(DeepSpeedRowSchema),
    selected: z.object({ cpu_bytes: z.number().int(), gpu_bytes: z.number().int(), options: z.string() }),
    gpu_parts: z.object({ params_16bit: z.number().int(), largest_layer_memory: z.number().int(), sharded_states: z.number().int() }),
  })
  .describe("The deepspeed convention: DeepSpeed's estimator for the model's total and largest-layer parameter counts.");

const ParallelismResultSchema = z.object({
  strategy: z.string(),
  effective_strategy: z.string().describe('As it runs: FSDP with one process is NO_SHARD.'),
  num_gpus: z.number().int(),
  num_gpus_per_node: z.number(),
  num_nodes: z.number(),
  offload_optimizer: z.string(),
  offload_params: z.string(),
  zero_init: z.boolean(),
  reduce_bucket_size: z.number().int(),
  stage3_prefetch_bucket_size: z.number().int(),
  gathered_unit: z.object({ kind: z.enum(['none', 'layer', 'wrap_unit']), name: z.string(), bytes: z.number().int(), rule: z.string() }),
  notes: z.array(z.string()),
});

export const MemoryResponseSchema = z.object({
  printed: z.string().describe("PEFT's print_trainable_parameters() line for this model and config."),
  task_type: TaskTypeSchema,
  task_type_source: TaskTypeSourceSchema,
  convention: z.string(),
  total_bytes: z.number().int(),
  total_human: z.string(),
  total_formula: z.string(),
  breakdown: z.object({
    weights: TermSchema,
    gradients: TermSchema,
    optimizer_states: TermSchema,
    master_weights: TermSchema,
    activations: TermSchema,
    logits: TermSchema,
    overhead: TermSchema,
  }),
  fixed_bytes: z.number().int().describe('Bytes that do not grow with the micro-batch.'),
  per_sample_bytes: z.number().int().describe('Bytes each sample of the micro-batch adds (activations and logits).'),
  parameters: z.object({ all: z.number().int(), trainable: z.number().int(), frozen_unquantized: z.number().int(), quantized: z.number().int() }),
  weights_detail: z.object({ frozen_bytes: z.number().int(), quantized_bytes: z.number().int(), trainable_bytes: z.number().int(), dequant_workspace_bytes: z.number().int() }),
  checkpoint: TermSchema.describe('Saved checkpoint in the weight dtype: the adapters alone under PEFT, every parameter for full fine-tuning.'),
  activation_detail: z.object({
    participating_blocks: z.number().int(),
    total_blocks: z.number().int(),
    reason: z.string(),
    gradient_checkpointing: z.boolean(),
    effective_seq_len: z.number().int(),
    groups: z.array(
      z.object({ blocks: z.number().int(), example_block: z.string(), bytes_per_token: z.number(), bytes_per_sequence: z.number(), tensors: z.array(TensorSchema) }),
    ),
    outside_blocks: z.array(TensorSchema),
  }),
  accelerate_stages: z.array(z.object({ stage: z.string(), bytes: z.number().int() })).optional(),
  deepspeed: DeepSpeedSchema.optional(),
  parallelism: ParallelismResultSchema.optional(),
  per_gpu: PerGpuSchema.optional(),
  per_cpu: PerCpuSchema.optional(),
  gpus: z.array(
    z.object({
      name: z.string(),
      bytes: z.number().int(),
      fits: z.boolean().describe('With parallelism: per_gpu fits on one of these.'),
      headroom_bytes: z.number().int(),
      max_micro_batch: z.number().int().nullable().describe('Largest micro-batch (per device) that fits (0: not even one), at most 65536 (the largest batch_size accepted); null when the convention ignores batch size.'),
      min_gpus: z
        .number()
        .int()
        .nullable()
        .optional()
        .describe(`With parallelism: the fewest GPUs of this type (in all) that fit the run under its strategy at this micro-batch; null when none up to ${MAX_TOTAL_GPUS}.`),
    }),
  ),
  inference: z.object({
    total_bytes: z.number().int(),
    total_human: z.string(),
    weights: TermSchema,
    kv_cache: TermSchema,
    logits: TermSchema,
    overhead: TermSchema,
    notes: z.array(z.string()),
  }),
  notes: z.array(z.string()),
});

const FlopTermSchema = z.object({ name: z.string(), flops: z.number(), formula: z.string() });
const TrainingFlopsSchema = z.object({ total: z.number(), parts: z.array(FlopTermSchema) });

export const ComputeResponseSchema = z.object({
  printed: z.string(),
  task_type: TaskTypeSchema,
  task_type_source: TaskTypeSourceSchema,
  unit: z.string(),
  training: TrainingFlopsSchema,
  full_finetune_training: TrainingFlopsSchema,
  relative_speed_vs_full_finetune: z.number().describe('FLOPs of full fine-tuning ÷ FLOPs of this run (same setup).'),
  inference: z.object({
    base: FlopTermSchema,
    attention: FlopTermSchema,
    method_overhead_merged: FlopTermSchema,
    method_overhead_unmerged: FlopTermSchema,
    extra_sequential_layers: z.number().int(),
    total_merged: z.number(),
    total_unmerged: z.number(),
  }),
  notes: z.array(z.string()),
});
