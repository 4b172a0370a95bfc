/** Stored bytes of bitsandbytes-quantized weights (LLM.int8 and QLoRA's NF4, with or without double quantization). */
import type { ModuleSpec } from '../architectures/types.js';
import type { ModuleState } from './modules.js';
import type { Quantization } from './types.js';

const NF4_BLOCK = 64; // weights per absmax constant
const DQ_BLOCK = 256; // absmax constants per fp32 second-level constant

/** bitsandbytes swaps every Linear of the blocks (attention, MLP, MoE router); embeddings, norms, lm_head and task heads stay 16-bit. */
export const isQuantizable = (m: Pick<ModuleSpec, 'kind' | 'role'>): boolean =>
  (m.kind === 'linear' || m.kind === 'conv1d') && (m.role === 'attention' || m.role === 'mlp' || m.role === 'router');

/** Bytes bnb stores for one weight tensor of n elements (packed data plus its quantization constants). */
export function quantizedWeightBytes(n: number, q: Exclude<Quantization, 'none'>, outFeatures: number): number {
  const blocks = Math.ceil(n / NF4_BLOCK);
  switch (q) {
    case 'int8':
      return n + 4 * outFeatures; // int8 CB plus one fp32 scale (SCB) per output row
    case 'nf4':
      return Math.ceil(n / 2) + 4 * blocks; // 4 bits per weight + one fp32 absmax per 64 (32/64 bits per weight)
    case 'nf4-dq':
      return Math.ceil(n / 2) + blocks + 4 * Math.ceil(blocks / DQ_BLOCK); // 8-bit absmax per 64 + fp32 per 64·256 (8/64 + 32/(64·256) bits)
  }
}

export const QUANT_FORMULA: Record<Exclude<Quantization, 'none'>, string> = {
  int8: 'n + 4·out_features per weight (int8 data + fp32 row scale)',
  nf4: 'n/2 + 4·⌈n/64⌉ per weight (4 bits + fp32 absmax per 64 weights = 0.5 bits)',
  'nf4-dq': 'n/2 + ⌈n/64⌉ + 4·⌈n/(64·256)⌉ per weight (4 bits + 8/64 + 32/(64·256) = 0.127 bits of constants)',
};

export interface QuantizedWeights {
  /** Weight elements stored packed. */
  numel: number;
  /** Bytes bnb stores for them, quantization constants included. */
  bytes: number;
  /** Elements of the largest packed weight (dequantized to 16 bits one at a time for its matmul). */
  largest_numel: number;
}

/** The packed weights of the quantized modules, summed once for training and inference memory alike. */
export function quantizedWeights(states: readonly ModuleState[], q: Quantization): QuantizedWeights {
  const out: QuantizedWeights = { numel: 0, bytes: 0, largest_numel: 0 };
  if (q === 'none') return out;
  for (const m of states) {
    if (!m.quantized) continue;
    out.numel += m.weight_numel;
    out.bytes += quantizedWeightBytes(m.weight_numel, q, m.spec.out_features ?? 1);
    out.largest_numel = Math.max(out.largest_numel, m.weight_numel);
  }
  return out;
}
