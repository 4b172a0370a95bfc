/** Inference memory: stored weights plus the KV cache at seq_len (GQA: num_key_value_heads, not num_attention_heads). */
import { isEncoderOnly } from '../architectures/index.js';
import { moduleStates, type ModuleState } from './modules.js';
import { virtualTokens } from './participation.js';
import { checkExactBytes, DTYPE_BYTES } from './precision.js';
import { quantizedWeights } from './quantization.js';
import type { EstimateModel, MemoryTerm, TrainingSetup } from './types.js';
import { gib, int, term } from './units.js';

export interface InferenceMemory {
  total_bytes: number;
  total_human: string;
  weights: MemoryTerm;
  kv_cache: MemoryTerm;
  logits: MemoryTerm;
  overhead: MemoryTerm;
  notes: string[];
}

/** `states`: the module table for setup.quantization, when the caller has already built it (the memory route shares it with training). */
export function estimateInferenceMemory(model: EstimateModel, setup: TrainingSetup, states?: ModuleState[]): InferenceMemory {
  const { inventory, accounting } = model;
  const dims = inventory.dims;
  states ??= moduleStates(inventory, accounting, setup.quantization);
  const w = DTYPE_BYTES[setup.dtype];
  const q = setup.quantization;
  const { numel: qNumel, bytes: qBytes } = quantizedWeights(states, q);
  const rest = accounting.all_params - qNumel;
  const notes: string[] = [];
  const weights = term(rest * w + qBytes, q === 'none' ? `${int(rest)} params × ${w} B (adapters unmerged)` : `${int(rest)} params × ${w} B + ${int(qNumel)} ${q} weights = ${int(qBytes)} B`);

  const kvBytes = setup.mixed_precision || q !== 'none' ? 2 : w;
  const virtual = virtualTokens(model.peft);
  // Prompt and prefix tokens alike sit in every layer's self-attention cache.
  const cachedVirtual = virtual.prompt + virtual.prefix;
  const kvd = dims.num_key_value_heads * dims.head_dim;
  const generates = states.some((s) => s.spec.role === 'lm_head') && !isEncoderOnly(dims.model_type);
  const blocks = new Map<string, { self: boolean; cross: boolean }>();
  for (const s of states) {
    if (!s.block) continue;
    const b = blocks.get(s.block) ?? { self: false, cross: false };
    if (s.group === 'attn_in') b.self = true;
    if (s.group === 'xattn_q' || s.group === 'xattn_kv') b.cross = true;
    blocks.set(s.block, b);
  }
  const decoder = [...blocks.values()].filter((b) => (dims.is_encoder_decoder ? b.cross : b.self));
  const selfLayers = decoder.filter((b) => b.self).length;
  const crossLayers = decoder.filter((b) => b.cross).length;
  const b = setup.batch_size;
  const s = setup.seq_len;
  let kv: MemoryTerm;
  if (!generates) {
    kv = term(0, 'no KV cache: this model/task does not generate token by token');
    notes.push('Encoder-only or classification: one forward pass, no KV cache.');
  } else {
    const selfBytes = 2 * selfLayers * kvd * (s + cachedVirtual) * b * kvBytes;
    const crossBytes = 2 * crossLayers * kvd * s * b * kvBytes;
    kv = term(
      selfBytes + crossBytes,
      `2 (k, v) × ${selfLayers} layers × ${dims.num_key_value_heads} kv heads × ${dims.head_dim} head_dim × (s ${s}${cachedVirtual ? ` + ${cachedVirtual} virtual` : ''}) × b ${b} × ${kvBytes} B` +
        (crossLayers ? ` + cross-attention 2 × ${crossLayers} × ${kvd} × ${s} (encoder length = s) × ${b} × ${kvBytes} B` : ''),
    );
    if (dims.num_key_value_heads < dims.num_attention_heads) notes.push(`GQA: the cache holds ${dims.num_key_value_heads} key/value heads, not ${dims.num_attention_heads}.`);
  }
  const V = states.find((x) => x.spec.role === 'lm_head')?.spec.out_features ?? 0;
  const logits = term(b * V * 4, `b·V·4 = ${b}·${V}·4 (fp32 logits of the next token)`);
  const overhead = term(setup.overhead_bytes, 'CUDA context and kernels (overhead_bytes)');
  const total = weights.bytes + kv.bytes + logits.bytes + overhead.bytes;
  checkExactBytes(total, 'inference memory');
  return { total_bytes: total, total_human: gib(total), weights, kv_cache: kv, logits, overhead, notes };
}
