import { z } from 'zod';

export const SWEEP_TARGETS = ['parameters', 'memory', 'compute', 'forward/lora', 'forward/adapter', 'forward/prefix', 'forward/prompt', 'forward/ia3'] as const;

/** Output formats; the one place a new format (a chart) is added. `Accept: text/csv` picks csv too. */
export const RESULT_FORMATS = ['json', 'csv'] as const;
export const ResultFormatSchema = z.enum(RESULT_FORMATS).optional().describe('json (default) or csv (one row per point or method, RFC 4180); `Accept: text/csv` also picks csv.');

const AxisPath = z
  .string()
  .min(1)
  .max(300)
  .describe('Dotted path to a numeric field of `base`, e.g. "peft.r", "training.seq_len", "model.config.num_hidden_layers", "parallelism.num_gpus_per_node"; a string field (parallelism.strategy) is one sweep per value.');

const ListAxisSchema = z.object({ path: AxisPath, values: z.array(z.number()).min(1).describe('The values, in order; each meets the target field\'s own validation.') });

const RangeAxisSchema = z.object({
  path: AxisPath,
  from: z.number(),
  to: z.number(),
  steps: z.number().int().min(1).max(1_000_000_000).describe('Values from `from` to `to`, both included.'),
  scale: z.enum(['linear', 'log']).default('linear').describe('log: equal ratios (from and to > 0). On an integer field values are rounded and each kept once.'),
});

export const SweepRequestSchema = z
  .object({
    target: z.enum(SWEEP_TARGETS).describe('The route each point runs: parameters, memory, compute (estimates) or forward/<method>.'),
    base: z.record(z.string(), z.unknown()).describe("A valid body for the target's route; each point sets the axes' paths in it."),
    axes: z.array(z.union([ListAxisSchema, RangeAxisSchema])).min(1).max(2).describe('One or two axes; points are row-major (the last axis varies fastest).'),
    metrics: z.array(z.string().min(1).max(500)).min(1).max(64).describe("Dotted paths to numbers in the target's response; arrays of named items go by name (gpus.A100-40GB.headroom_bytes), others by index."),
    format: ResultFormatSchema,
  })
  .meta({
    examples: [
      {
        target: 'parameters',
        base: { model: { preset: 'meta-llama/Llama-2-7b-hf' }, peft: { peft_type: 'LORA', r: 8, lora_alpha: 16, target_modules: ['q_proj', 'v_proj'] } },
        axes: [{ path: 'peft.r', values: [4, 8, 16, 32, 64] }],
        metrics: ['trainable_params', 'trainable_percent', 'adapter_checkpoint_bytes.bf16'],
      },
      {
        target: 'memory',
        base: { model: { preset: 'meta-llama/Llama-2-7b-hf' }, peft: { peft_type: 'LORA', r: 8, lora_alpha: 16, target_modules: ['q_proj', 'v_proj'] } },
        axes: [{ path: 'peft.r', values: [4, 64] }, { path: 'training.seq_len', from: 256, to: 8192, steps: 6, scale: 'log' }],
        metrics: ['total_bytes', 'breakdown.activations.bytes', 'gpus.A100-40GB.headroom_bytes'],
      },
      {
        target: 'memory',
        base: {
          model: { preset: 'meta-llama/Llama-2-7b-hf' },
          peft: { peft_type: 'LORA', r: 16, lora_alpha: 32, target_modules: ['q_proj', 'k_proj', 'v_proj', 'o_proj'] },
          training: { seq_len: 2048, gradient_checkpointing: true },
          parallelism: { strategy: 'zero3' },
        },
        axes: [{ path: 'parallelism.num_gpus_per_node', from: 1, to: 64, steps: 7, scale: 'log' }],
        metrics: ['per_gpu.total_bytes', 'per_gpu.breakdown.weights.bytes', 'per_gpu.breakdown.gathered.bytes', 'per_gpu.breakdown.activations.bytes', 'gpus.RTX-4090-24GB.max_micro_batch'],
      },
      {
        target: 'forward/lora',
        base: { seed: 42, batch: 4, seq: 16, in_features: 512, out_features: 512, lora_alpha: 16, init: 'random' },
        axes: [{ path: 'r', values: [4, 8, 16, 32, 64] }],
        metrics: ['trainable_params', 'flops', 'y.l2_norm'],
      },
    ],
  });

export type SweepRequest = z.output<typeof SweepRequestSchema>;

const ResolvedAxisSchema = z.object({
  path: z.string(),
  values: z.array(z.number()).describe('The values run, in grid order.'),
  scale: z.enum(['list', 'linear', 'log']),
  integer: z.boolean().describe('The field takes integers, so generated values were rounded.'),
  deduplicated: z.boolean().describe('Rounding merged some generated values; each is listed once.'),
});

export const SweepResponseSchema = z.object({
  target: z.string().describe('The target the sweep ran.'),
  axes: z.array(ResolvedAxisSchema),
  metrics: z.array(z.string()),
  units: z.record(z.string(), z.string()).describe('Unit per metric ("parameters", "bytes", "FLOPs/token", "%", ...; "" for a pure number).'),
  points: z.array(z.object({ at: z.record(z.string(), z.number()), metrics: z.record(z.string(), z.number()) })).describe('Row-major over the axes.'),
  built_once: z.array(z.string()).describe('What the sweep built once for all points because no axis touches it ("inventory", "accounting").'),
  forward_cost: z
    .object({ flops: z.number(), points: z.number().int(), largest_point_bytes: z.number().int() })
    .optional()
    .describe('Forward sweeps: the FLOPs of all passes together (held to MAX_REQUEST_FLOPS) and the largest pass\'s bytes.'),
});
