/**
 * FLOPs per token. A weight costs 2 FLOPs per parameter forward, 2 more for the input gradient and 2 for
 * the weight gradient: 6N trainable, 4N frozen (under PEFT), 2N in blocks that backward never reaches.
 * Attention adds 4·h·s forward per block (12·h·s in training). Full checkpointing re-runs the forward.
 */
import type { AdapterAttachment } from '../accounting/types.js';
import { moduleStates, type ModuleState } from './modules.js';
import { participation, virtualTokens } from './participation.js';
import { checkTrainingExists } from './precision.js';
import type { EstimateModel, TrainingSetup } from './types.js';
import { int } from './units.js';

export interface FlopTerm {
  name: string;
  flops: number;
  formula: string;
}

export interface TrainingFlops {
  total: number;
  parts: FlopTerm[];
}

export interface ComputeEstimate {
  unit: string;
  training: TrainingFlops;
  full_finetune_training: TrainingFlops;
  /** FLOPs of full fine-tuning ÷ FLOPs of this run: how many times faster the PEFT run is, if FLOP-bound. */
  relative_speed_vs_full_finetune: number;
  inference: {
    base: FlopTerm;
    attention: FlopTerm;
    method_overhead_merged: FlopTerm;
    method_overhead_unmerged: FlopTerm;
    /** Adapters run as extra sequential layers (latency even when FLOPs are small). */
    extra_sequential_layers: number;
    total_merged: number;
    total_unmerged: number;
  };
  notes: string[];
}

/** Multiply-accumulates per token of one module: in·out for a Linear (MoE experts scaled by k/E: a token visits k of E). */
function macs(m: ModuleState, expertShare: number): number {
  if (m.spec.kind !== 'linear' && m.spec.kind !== 'conv1d') return 0;
  const n = m.spec.in_features && m.spec.out_features ? m.spec.in_features * m.spec.out_features : m.weight_numel;
  return /\.experts\./.test(m.spec.name) ? n * expertShare : n;
}

function adapterForward(a: AdapterAttachment, share: number): number {
  if (a.peft_type === 'LORA' && a.r && a.in_features && a.out_features) return 2 * a.r * (a.in_features + a.out_features) * share;
  if (a.peft_type === 'IA3') return a.params * share; // one multiply per scaled element
  return 2 * a.params * share; // bottleneck and other dense adapters: one MAC per weight
}

interface Split {
  trainable: number;
  frozenBackward: number;
  forwardOnly: number;
  adapters: number;
  /** MACs (weights and adapters) inside blocks that backward reaches: what checkpointing recomputes. */
  recomputed: number;
  attnBlocksBackward: number;
  attnBlocksForward: number;
}

/** Attention sublayers (self, cross) per block, each costing 4·h·s per token forward. */
function attentionSublayersByBlock(states: ModuleState[]): Map<string, number> {
  const seen = new Set<string>();
  const byBlock = new Map<string, number>();
  for (const s of states) {
    if (!s.block || (s.group !== 'attn_in' && s.group !== 'xattn_q')) continue;
    const sublayer = `${s.block}#${s.group}`;
    if (seen.has(sublayer)) continue;
    seen.add(sublayer);
    byBlock.set(s.block, (byBlock.get(s.block) ?? 0) + 1);
  }
  return byBlock;
}

function split(states: ModuleState[], attnSublayers: Map<string, number>, firstBlock: number, blocks: string[], share: number, allTrainable: boolean): Split {
  const out: Split = { trainable: 0, frozenBackward: 0, forwardOnly: 0, adapters: 0, recomputed: 0, attnBlocksBackward: 0, attnBlocksForward: 0 };
  const backwardBlocks = new Set(blocks.slice(firstBlock));
  const anyBackward = allTrainable || backwardBlocks.size > 0 || states.some((s) => s.any_trainable);
  const lastBlockModule = states.findLastIndex((x) => x.block !== undefined);
  states.forEach((s, i) => {
    const n = macs(s, share);
    const inBackward = s.block ? allTrainable || backwardBlocks.has(s.block) : anyBackward && i > lastBlockModule;
    if (allTrainable || s.weight_trainable) out.trainable += n;
    else if (inBackward) out.frozenBackward += n;
    else out.forwardOnly += n;
    // HF checkpoints each block; the embeddings, final norm and heads outside the blocks are not re-run.
    const recomputed = s.block !== undefined && inBackward;
    if (recomputed) out.recomputed += 2 * n;
    if (!allTrainable)
      for (const a of s.adapters) {
        const f = adapterForward(a, /\.experts\./.test(s.spec.name) ? share : 1);
        out.adapters += f;
        if (recomputed) out.recomputed += f;
      }
  });
  for (const b of blocks) {
    const attn = attnSublayers.get(b) ?? 0;
    if (allTrainable || backwardBlocks.has(b)) out.attnBlocksBackward += attn;
    else out.attnBlocksForward += attn;
  }
  return out;
}

function trainingFlops(x: Split, attnWidth: number, keyLen: number, ckpt: boolean, scale: number, label: string): TrainingFlops {
  const parts: FlopTerm[] = [
    { name: 'trainable weights', flops: 6 * x.trainable, formula: `6 × ${int(x.trainable)} MACs` },
    { name: 'frozen weights (backward passes through)', flops: 4 * x.frozenBackward, formula: `4 × ${int(x.frozenBackward)} MACs` },
    { name: 'frozen weights below the lowest trainable block (forward only)', flops: 2 * x.forwardOnly, formula: `2 × ${int(x.forwardOnly)} MACs` },
    { name: 'adapters (trainable)', flops: 3 * x.adapters, formula: `3 × forward ${int(x.adapters)} (LoRA forward 2·r·(in+out) per module)` },
    {
      name: 'attention scores and mixing',
      flops: 12 * attnWidth * keyLen * x.attnBlocksBackward + 4 * attnWidth * keyLen * x.attnBlocksForward,
      formula: `12·h·s × ${x.attnBlocksBackward} blocks + 4·h·s × ${x.attnBlocksForward} forward-only blocks; h = ${attnWidth}, s = ${keyLen}`,
    },
  ];
  if (ckpt) {
    const recompute = x.recomputed + 4 * attnWidth * keyLen * x.attnBlocksBackward;
    parts.push({
      name: 'activation checkpointing: one more forward of the blocks',
      flops: recompute,
      formula: `forward of the ${x.attnBlocksBackward ? 'checkpointed ' : ''}blocks (weights and adapters) ${int(x.recomputed)} + 4·h·s × ${x.attnBlocksBackward}; embeddings and heads outside the blocks are not re-run`,
    });
  }
  if (scale !== 1) for (const p of parts) {
    p.flops *= scale;
    p.formula += ` × ${scale.toFixed(4)} (${label})`;
  }
  return { total: parts.reduce((a, p) => a + p.flops, 0), parts };
}

export function estimateCompute(model: EstimateModel, setup: TrainingSetup): ComputeEstimate {
  // The memory convention does not bear on FLOPs, but a run that cannot exist has no FLOPs either.
  checkTrainingExists(setup, model.peft.length === 0);
  const { inventory, accounting } = model;
  const dims = inventory.dims;
  const states = moduleStates(inventory, accounting, setup.quantization);
  const share = dims.num_experts > 1 ? dims.num_experts_per_token / dims.num_experts : 1;
  const part = participation(states, model.peft);
  const { prompt: p, prefix } = virtualTokens(model.peft);
  const s = setup.seq_len;
  const attnWidth = dims.num_attention_heads * dims.head_dim;
  const full = model.peft.length === 0;
  const attnSublayers = attentionSublayersByBlock(states);
  const peftSplit = split(states, attnSublayers, part.first, part.blocks, share, full);
  const scale = (s + p) / s; // prompt tuning runs s + p positions for s real tokens
  const training = trainingFlops(peftSplit, attnWidth, s + p + prefix, setup.gradient_checkpointing, scale, 'virtual tokens processed per real token');
  const fullSplit = split(states, attnSublayers, 0, part.blocks, share, true);
  const fullFt = trainingFlops(fullSplit, attnWidth, s, setup.gradient_checkpointing, 1, '');
  const allMacs = fullSplit.trainable;
  const selfBlocks = new Set(states.filter((x) => x.block && x.group === 'attn_in').map((x) => x.block)).size;
  let attnBlocks = 0; // attention sublayers, self and cross
  for (const n of attnSublayers.values()) attnBlocks += n;
  const lora = states.flatMap((x) => x.adapters.filter((a) => a.peft_type === 'LORA').map((a) => adapterForward(a, /\.experts\./.test(x.spec.name) ? share : 1))).reduce((a, b) => a + b, 0);
  const ia3 = states.flatMap((x) => x.adapters.filter((a) => a.peft_type === 'IA3').map((a) => a.params)).reduce((a, b) => a + b, 0);
  const bottleneck = states.flatMap((x) => x.adapters.filter((a) => a.peft_type !== 'LORA' && a.peft_type !== 'IA3')).reduce((a, b) => a + 2 * b.params, 0);
  const extraLayers = states.reduce((a, x) => a + x.adapters.filter((b) => b.peft_type !== 'LORA' && b.peft_type !== 'IA3').length, 0);
  // Per real token at context s: prefix tuning lengthens the keys by `prefix`; prompt tuning also runs its p virtual
  // positions through every weight, so a sequence costs (s + p)/s times a forward over s + p positions.
  const baseForward = 2 * allMacs + 4 * attnWidth * s * attnBlocks;
  const virtualForward = ((2 * allMacs + 4 * attnWidth * s * attnBlocks + 4 * attnWidth * (p + prefix) * selfBlocks) * (s + p)) / s;
  const virtualAttn = virtualForward - baseForward;
  const mergedOverhead = bottleneck + virtualAttn;
  const unmergedOverhead = lora + ia3 + bottleneck + virtualAttn;
  const inference = {
    base: { name: 'base weights', flops: 2 * allMacs, formula: `2 × ${int(allMacs)} MACs (adapters merged or absent)` },
    attention: { name: 'attention at context length s', flops: 4 * attnWidth * s * attnBlocks, formula: `4·h·s × ${attnBlocks} attention blocks; h = ${attnWidth}, s = ${s}` },
    method_overhead_merged: {
      name: 'method overhead, adapters merged where possible',
      flops: mergedOverhead,
      formula: `LoRA/IA3 merged: 0; bottleneck adapters 2 × ${int(bottleneck / 2)} params; virtual tokens ${int(virtualAttn)}: prefix 4·h·p_prefix × ${selfBlocks} blocks (p_prefix = ${prefix})${p ? `, prompt: (2N + attention over s + p) × (s + p)/s − (2N + attention over s), p = ${p}` : ''}`,
    },
    method_overhead_unmerged: {
      name: 'method overhead, adapters kept separate',
      flops: unmergedOverhead,
      formula: `LoRA Σ 2·r·(in+out) = ${int(lora)}; IA3 Σ vector sizes = ${int(ia3)}; bottleneck ${int(bottleneck)}; virtual tokens ${int(virtualAttn)}`,
    },
    extra_sequential_layers: extraLayers,
    total_merged: baseForward + mergedOverhead,
    total_unmerged: baseForward + unmergedOverhead,
  };
  const notes = [
    'Per token: 6 FLOPs per trainable weight, 4 per frozen weight backward passes through, 2 where it does not; attention 12·h·s per block in training (Kaplan et al. 2020, Korthikanti et al. 2022).',
    'relative_speed_vs_full_finetune is a FLOP ratio (an upper bound on the speed-up); the LoRA paper measured 1.33× on GPT-3 175B against a FLOP bound near 1.5×.',
  ];
  if (p) notes.push(`Prompt tuning runs ${p} virtual tokens with every sequence, so each real token costs (s + p)/s more.`);
  return {
    unit: 'FLOPs per token',
    training,
    full_finetune_training: fullFt,
    relative_speed_vs_full_finetune: fullFt.total / training.total,
    inference,
    notes,
  };
}
