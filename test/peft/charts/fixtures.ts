/**
 * Sweep and comparison results built by hand, shaped per src/peft/sweeps/types.ts, for drawing only:
 * the parameter counts follow the notebook's formulas (2·r·d per LoRA layer, 2·d·b + d + b per adapter,
 * d = 512); the memory, FLOP and speed columns are round test inputs, not estimates.
 */
import type { CompareResult, ResolvedAxis, SweepResult } from '../../../src/peft/sweeps/types.js';

const D = 512;

const listAxis = (path: string, values: number[]): ResolvedAxis => ({ path, values, scale: 'list', integer: true, deduplicated: false });

export const LORA_BY_RANK: SweepResult = {
  target: 'parameters',
  axes: [listAxis('peft.r', [4, 8, 16, 32, 64])],
  metrics: ['trainable_params'],
  units: { trainable_params: 'parameters' },
  points: [4, 8, 16, 32, 64].map((r) => ({ at: { 'peft.r': r }, metrics: { trainable_params: 2 * r * D } })),
};

/** The largest SVG a sweep may ask for: 1,000 ranks × 2 metrics in two units (two panels), MAX_SVG_MARKS marks. */
export const LORA_AT_SVG_CAP: SweepResult = {
  target: 'parameters',
  axes: [listAxis('peft.r', Array.from({ length: 1000 }, (_, i) => i + 1))],
  metrics: ['trainable_params', 'trainable_percent'],
  units: { trainable_params: 'parameters', trainable_percent: '%' },
  points: Array.from({ length: 1000 }, (_, i) => ({ at: { 'peft.r': i + 1 }, metrics: { trainable_params: 2 * (i + 1) * D, trainable_percent: (100 * 2 * (i + 1) * D) / 12_582_912 } })),
};

/** Swept as AdapterHub sets it, over the reduction factor d / b (16 … 1 for b = 32 … 512). */
export const ADAPTER_BY_BOTTLENECK: SweepResult = {
  target: 'parameters',
  axes: [listAxis('peft.reduction_factor', [32, 64, 128, 256, 512].map((b) => D / b))],
  metrics: ['trainable_params'],
  units: { trainable_params: 'parameters' },
  points: [32, 64, 128, 256, 512].map((b) => ({ at: { 'peft.reduction_factor': D / b }, metrics: { trainable_params: 2 * D * b + D + b } })),
};

const row = (method: string, label: string, trainable: number, memory: number, flops: number, overhead: number) => ({
  method,
  label,
  trainable_params: trainable,
  trainable_percent: (100 * trainable) / 12_582_912,
  adapter_checkpoint_bytes: 2 * trainable,
  training_memory_bytes: memory,
  training_flops_per_token: flops,
  relative_training_speed: 75_497_472 / flops,
  inference_overhead_flops_per_token: overhead,
});

export const SEED_COMPARE: CompareResult = {
  model: 'seed-notebook',
  rows: [
    row('full', 'Full FT', 12_582_912, 201_326_592, 75_497_472, 0),
    row('lora', 'LoRA r=16', 196_608, 60_000_000, 50_724_864, 0),
    row('bottleneck', 'Adapter b=64', 793_344, 62_000_000, 55_000_000, 1_586_688),
    row('prefix', 'Prefix p=10', 122_880, 58_000_000, 50_400_000, 245_760),
  ],
  units: {
    trainable_params: 'parameters',
    trainable_percent: '%',
    adapter_checkpoint_bytes: 'bytes',
    training_memory_bytes: 'bytes',
    training_flops_per_token: 'FLOPs/token',
    relative_training_speed: '',
    inference_overhead_flops_per_token: 'FLOPs/token',
  },
};

/** A 2-axis grid, row-major (seq_len fastest), two metrics in different units. */
export const RANK_BY_SEQ: SweepResult = {
  target: 'memory',
  axes: [listAxis('peft.r', [8, 16, 32]), { path: 'training.seq_len', values: [256, 1024, 4096], scale: 'log', integer: true, deduplicated: false }],
  metrics: ['trainable_params', 'total_bytes'],
  units: { trainable_params: 'parameters', total_bytes: 'bytes' },
  points: [8, 16, 32].flatMap((r) =>
    [256, 1024, 4096].map((s) => ({ at: { 'peft.r': r, 'training.seq_len': s }, metrics: { trainable_params: 4_194_304 * (r / 8), total_bytes: 2 ** 33 + s * 2 ** 20 + r * 2 ** 22 } })),
  ),
};

/** The notebook figure's data, as seedNotebookFigureData() shapes it. */
export const NOTEBOOK_DATA = { compare: SEED_COMPARE, loraByRank: LORA_BY_RANK, adapterByBottleneck: ADAPTER_BY_BOTTLENECK, d_model: D };
