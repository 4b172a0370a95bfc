/**
 * What a sweep and a method comparison return: the shapes the routes send and the charts draw.
 * Shared between src/peft/sweeps (which computes them) and src/peft/charts (which draws them):
 * add fields freely, but rename or remove none without changing both.
 */

/** One axis as resolved from the request: a list, or from/to/steps on a linear or log scale. */
export interface ResolvedAxis {
  /** Dotted path into the target's request body, e.g. "peft.r" or "training.seq_len". */
  path: string;
  /** The values the sweep ran, in grid order (integers where the field is an integer). */
  values: number[];
  scale: 'list' | 'linear' | 'log';
  /** The field takes integers, so generated values were rounded. */
  integer: boolean;
  /** Rounding to integers merged some generated values; `values` holds each once. */
  deduplicated: boolean;
}

/** One grid point: where it sits on each axis and the metrics the target's response gave there. */
export interface SweepPoint {
  at: Record<string, number>;
  metrics: Record<string, number>;
}

export interface SweepResult {
  /** The route the sweep ran, e.g. "parameters", "memory", "compute", "forward/lora". */
  target: string;
  axes: ResolvedAxis[];
  /** Dotted paths into the target's response, in request order. */
  metrics: string[];
  /** Unit per metric ("parameters", "bytes", "FLOPs/token", "%", "" for a pure number). */
  units: Record<string, string>;
  /** Row-major over the axes: the last axis varies fastest. */
  points: SweepPoint[];
}

/** One method in a comparison; every figure comes from the accounting and estimates code. */
export interface CompareRow {
  /** "full", "lora", "bottleneck", "prefix", "prompt" or "ia3". */
  method: string;
  /** A display name with the method's key setting, e.g. "LoRA r=16". */
  label: string;
  trainable_params: number;
  trainable_percent: number;
  adapter_checkpoint_bytes: number;
  training_memory_bytes: number;
  training_flops_per_token: number;
  /** Full fine-tuning's training FLOPs per token over this method's (full fine-tuning = 1). */
  relative_training_speed: number;
  inference_overhead_flops_per_token: number;
  /** With parallelism: what one GPU holds under the strategy. */
  per_gpu_memory_bytes?: number;
}

export interface CompareResult {
  /** The model compared on: a preset name or the config's model_type. */
  model: string;
  rows: CompareRow[];
  /** Unit per numeric column of `rows`. */
  units: Record<string, string>;
}
