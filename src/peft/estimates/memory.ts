/** Peak training memory: the sum of its parts under a named convention (or accelerate's largest stage). */
import { accelerateStages, bufferBytes, type AccelerateStage } from './accelerate.js';
import { blockActivations, type BlockActivations, type SavedTensor } from './activations.js';
import { DEEPSPEED_RULE, deepspeedEstimate, type DeepSpeedEstimate } from './deepspeed-memory.js';
import { dropoutRates } from './dropout.js';
import { moduleStates, type ModuleState } from './modules.js';
import { checkParallelism, ONE_GPU, type Parallelism } from './parallelism.js';
import { participation, virtualTokens } from './participation.js';
import { activationBytes, checkExactBytes, checkSetup, DTYPE_BYTES, trainableBytes } from './precision.js';
import { QUANT_FORMULA, quantizedWeights } from './quantization.js';
import type { Breakdown, EstimateModel, MemoryTerm, TrainingSetup } from './types.js';
import { gib, int, term } from './units.js';

export interface ActivationGroup {
  /** How many participating blocks keep exactly these tensors. */
  blocks: number;
  example_block: string;
  bytes_per_token: number;
  bytes_per_sequence: number;
  tensors: SavedTensor[];
}

export interface ActivationReport {
  participating_blocks: number;
  total_blocks: number;
  reason: string;
  gradient_checkpointing: boolean;
  /** Tokens per sequence the blocks see (prompt tuning adds its virtual tokens). */
  effective_seq_len: number;
  groups: ActivationGroup[];
  /** Tensors outside the blocks (final norm, a trainable head's input). */
  outside_blocks: SavedTensor[];
}

export interface TrainingMemory {
  convention: TrainingSetup['convention'];
  total_bytes: number;
  total_human: string;
  total_formula: string;
  breakdown: Breakdown;
  /** Bytes that do not depend on batch size, and bytes added per sample of the micro-batch. */
  fixed_bytes: number;
  per_sample_bytes: number;
  parameters: { all: number; trainable: number; frozen_unquantized: number; quantized: number };
  /** The weights entry split: frozen 16/32-bit, packed quantized, trainable, and the transient dequantized copy. */
  weights_detail: { frozen_bytes: number; quantized_bytes: number; trainable_bytes: number; dequant_workspace_bytes: number };
  /** Bytes of a saved checkpoint in the weight dtype: the adapters alone under PEFT, everything for full fine-tuning. */
  checkpoint: MemoryTerm;
  activation_detail: ActivationReport;
  accelerate_stages?: AccelerateStage[];
  /** The deepspeed convention: DeepSpeed's estimator figures and printed rows. */
  deepspeed?: DeepSpeedEstimate;
  notes: string[];
}

/** Output width the loss sees: the LM head's vocabulary, else the task head's labels. */
function logitsWidth(states: ModuleState[]): number {
  const lm = states.find((s) => s.spec.role === 'lm_head');
  if (lm) return lm.spec.out_features ?? lm.spec.num_embeddings ?? 0;
  const heads = states.filter((s) => s.spec.role === 'head' && (s.spec.kind === 'linear' || s.spec.kind === 'conv1d'));
  return heads.at(-1)?.spec.out_features ?? 0;
}

interface ActivationTotals {
  per_sample: number;
  report: ActivationReport;
  formula: string;
}

function activationTotals(model: EstimateModel, setup: TrainingSetup, states: ModuleState[]): ActivationTotals {
  const dims = model.inventory.dims;
  const e = activationBytes(setup);
  const vt = virtualTokens(model.peft);
  const s = setup.seq_len + vt.prompt;
  const part = participation(states, model.peft);
  const ctx = {
    dims,
    e,
    key_len: s + vt.prefix,
    prefix_tokens: vt.prefix,
    dropout: dropoutRates(model.config),
    attn: setup.attn_implementation,
    lora_dropout: model.peft.find((p) => p.peft_type === 'LORA')?.lora_dropout ?? 0,
    quantized_keeps_input: setup.quantization === 'int8' || setup.bnb_4bit_keeps_input,
  };
  const byBlock = new Map<string, ModuleState[]>();
  for (const m of states) if (m.block) byBlock.set(m.block, [...(byBlock.get(m.block) ?? []), m]);
  const blocks: BlockActivations[] = part.blocks.slice(part.first).map((b) => blockActivations(b, byBlock.get(b) ?? [], ctx));
  const groupsBySignature = new Map<string, ActivationGroup>();
  for (const b of blocks) {
    // Tensor names carry only the module's last two name parts, so identical blocks share a signature.
    const sig = `${b.bytes_per_sequence}|${b.tensors.map((x) => `${x.name}=${x.bytes_per_token}`).join('|')}`;
    const g = groupsBySignature.get(sig);
    if (g) g.blocks += 1;
    else groupsBySignature.set(sig, { blocks: 1, example_block: b.block, bytes_per_token: b.bytes_per_token, bytes_per_sequence: b.bytes_per_sequence, tensors: b.tensors });
  }
  const groups = [...groupsBySignature.values()];
  const outside: SavedTensor[] = [];
  const lastBlockModule = states.findLastIndex((x) => x.block !== undefined);
  const afterBlocks = states.filter((m, i) => m.block === undefined && i > lastBlockModule);
  const finalNorm = afterBlocks.find((m) => m.spec.kind === 'norm');
  if (blocks.length > 0 && finalNorm) outside.push({ name: `final norm input (h·${finalNorm.bias_numel > 0 ? 'E' : '4 B'})`, bytes_per_token: dims.hidden_size * (finalNorm.bias_numel > 0 ? e : Math.max(4, e)) });
  for (const hd of afterBlocks.filter((m) => (m.spec.kind === 'linear' || m.spec.kind === 'conv1d') && m.weight_trainable))
    outside.push({ name: `${hd.spec.name} input for its weight grad (in·E)`, bytes_per_token: (hd.spec.in_features ?? dims.hidden_size) * e });
  const outsidePerToken = outside.reduce((a, t) => a + t.bytes_per_token, 0);
  let perSample: number;
  let formula: string;
  if (!setup.gradient_checkpointing) {
    perSample = blocks.reduce((a, b) => a + b.bytes_per_token * s + b.bytes_per_sequence, 0) + outsidePerToken * s;
    formula = `b·Σ over ${blocks.length} participating blocks of (bytes per token · s + bytes per sequence) + outside blocks; s = ${s}, E = ${e} B`;
  } else {
    const biggest = blocks.reduce((m, b) => Math.max(m, b.bytes_per_token * s + b.bytes_per_sequence), 0);
    perSample = blocks.length * dims.hidden_size * e * s + biggest + outsidePerToken * s;
    formula = `checkpointing: b·(${blocks.length} block inputs · s·h·E + one block recomputed (${int(biggest)} B per sample) + outside blocks); s = ${s}, E = ${e} B`;
  }
  return {
    per_sample: perSample,
    formula,
    report: {
      participating_blocks: blocks.length,
      total_blocks: part.blocks.length,
      reason: part.reason,
      gradient_checkpointing: setup.gradient_checkpointing,
      effective_seq_len: s,
      groups,
      outside_blocks: outside,
    },
  };
}

/**
 * `states`: the module table for setup.quantization, when the caller has already built it (the memory route shares it with inference).
 * `parallelism` matters only to the deepspeed convention, whose figure is per GPU of a ZeRO setup.
 */
export function estimateTrainingMemory(model: EstimateModel, setup: TrainingSetup, states?: ModuleState[], parallelism?: Parallelism): TrainingMemory {
  const full = model.peft.length === 0;
  checkSetup(setup, full);
  const { accounting, inventory } = model;
  states ??= moduleStates(inventory, accounting, setup.quantization);
  const w = DTYPE_BYTES[setup.dtype];
  const T = accounting.trainable_params;
  const all = accounting.all_params;
  const q = setup.quantization;
  const { numel: qNumel, bytes: qBytes, largest_numel: largestQuantized } = quantizedWeights(states, q);
  const frozen16 = all - T - qNumel;
  // bnb dequantizes one weight at a time to 16 bits for its matmul; the largest such copy is live at the peak.
  const dequantWorkspace = 2 * largestQuantized;
  const ckptBytes = (full ? all : T) * w;
  const checkpoint = term(ckptBytes, full ? `all ${int(all)} params × ${w} B` : `${int(T)} trainable (adapter) params × ${w} B`);
  const vt = virtualTokens(model.peft);
  const notes: string[] = [];
  const act = activationTotals(model, setup, states);
  const b = setup.batch_size;
  const V = logitsWidth(states);
  // Sequence classification scores one pooled position per sequence; LM, token classification and QA score every token.
  const perSequenceLogits = inventory.task_type === 'SEQ_CLS' || inventory.task_type === 'IMAGE_CLASSIFICATION';
  const sLogits = perSequenceLogits ? 1 : setup.seq_len + vt.prompt;
  const logitsPerSample = 2 * sLogits * V * 4;
  const parameters = { all, trainable: T, frozen_unquantized: frozen16, quantized: qNumel };

  if (setup.convention === 'accelerate') {
    const buffers = bufferBytes(inventory.dims, model.config);
    const sixteen = setup.mixed_precision || w === 2;
    const stages = accelerateStages(all, buffers.bytes, sixteen);
    const peak = stages.reduce((m, s) => (s.bytes > m.bytes ? s : m));
    const fp32 = 4 * all + buffers.bytes;
    const zero = (why: string): MemoryTerm => term(0, why);
    const breakdown: Breakdown = {
      weights: term(fp32, `model stage: ${int(all)} params × 4 B + buffers ${int(buffers.bytes)} B (${buffers.formula})`),
      gradients: term(stages[1].bytes, sixteen ? 'gradients stage: 1.5 × fp32 model (fp32 + fp16 copy)' : 'gradients stage: 1 × fp32 model'),
      optimizer_states: term(stages[2].bytes, 'optimizer stage: 2 × fp32 model (Adam m and v)'),
      master_weights: zero('not a separate stage in accelerate'),
      activations: zero('ignored by accelerate estimate-memory (no batch or sequence length)'),
      logits: zero('ignored by accelerate estimate-memory'),
      overhead: zero('ignored by accelerate estimate-memory'),
    };
    notes.push('accelerate convention: the total is the largest stage, not the sum of the breakdown; every parameter is sized as if trained with Adam, whatever the PEFT config.');
    return {
      convention: 'accelerate',
      total_bytes: peak.bytes,
      total_human: gib(peak.bytes),
      total_formula: `max over stages (${stages.map((s) => `${s.stage} ${int(s.bytes)}`).join(', ')}) = ${peak.stage}`,
      breakdown,
      fixed_bytes: peak.bytes,
      per_sample_bytes: 0,
      parameters,
      weights_detail: { frozen_bytes: 4 * (all - T) + buffers.bytes, quantized_bytes: 0, trainable_bytes: 4 * T, dequant_workspace_bytes: 0 },
      checkpoint,
      activation_detail: act.report,
      accelerate_stages: stages,
      notes,
    };
  }

  if (setup.convention === 'deepspeed') {
    const p = parallelism ?? ONE_GPU;
    checkParallelism(p, setup);
    const ds = deepspeedEstimate(inventory, all, p);
    const { params_16bit, largest_layer_memory, sharded_states } = ds.gpu_parts;
    const zero = (why: string): MemoryTerm => term(0, why);
    const notCounted = zero("not counted by DeepSpeed's estimator");
    const breakdown: Breakdown = {
      weights: term(params_16bit + largest_layer_memory, `16-bit params ${int(params_16bit)} B + largest_layer_memory 4 × ${int(ds.largest_layer.params)} (${ds.largest_layer.name}) = ${int(largest_layer_memory)} B`),
      gradients: zero('inside the 18 B per parameter (optimizer_states)'),
      optimizer_states: term(sharded_states, `model states: int(18 × ${int(all)} / GPUs) = ${int(sharded_states)} B (16-bit grads 2 + fp32 grads 4 + fp32 params 4 + Adam 8), 0 when offloaded`),
      master_weights: zero('inside the 18 B per parameter (optimizer_states)'),
      activations: notCounted,
      logits: notCounted,
      overhead: notCounted,
    };
    notes.push(`${DEEPSPEED_RULE}.`);
    return {
      convention: 'deepspeed',
      total_bytes: ds.selected.gpu_bytes,
      total_human: gib(ds.selected.gpu_bytes),
      total_formula: `${ds.function} gpu_mem for ${ds.selected.options}`,
      breakdown,
      fixed_bytes: ds.selected.gpu_bytes,
      per_sample_bytes: 0,
      parameters,
      weights_detail: { frozen_bytes: 2 * (all - T), quantized_bytes: 0, trainable_bytes: 2 * T, dequant_workspace_bytes: 0 },
      checkpoint,
      activation_detail: act.report,
      deepspeed: ds,
      notes,
    };
  }

  const tb = trainableBytes(setup.convention, setup);
  if (setup.convention === 'pure-bf16' && setup.mixed_precision) notes.push('pure-bf16 keeps no fp32 master copy, so mixed_precision adds nothing under it.');
  const weightsFormula = [
    `${int(frozen16)} frozen × ${w} B`,
    q === 'none' ? undefined : `${int(qNumel)} ${q} weights: ${QUANT_FORMULA[q]} = ${int(qBytes)} B`,
    q === 'none' ? undefined : `largest weight dequantized to 16 bits for its matmul ${int(dequantWorkspace)} B`,
    `${int(T)} trainable × ${tb.weights} B`,
  ]
    .filter(Boolean)
    .join(' + ');
  const optimizerBytes = T * tb.states * tb.per_state;
  const activations = b * act.per_sample;
  const logits = b * logitsPerSample;
  const breakdown: Breakdown = {
    weights: term(frozen16 * w + qBytes + dequantWorkspace + T * tb.weights, weightsFormula),
    gradients: term(T * tb.gradients, `${int(T)} trainable × ${tb.gradients} B`),
    optimizer_states: term(optimizerBytes, `${int(T)} trainable × ${tb.states} states (${setup.optimizer}) × ${tb.per_state} B`),
    master_weights: term(T * tb.master_weights, `${int(T)} trainable × ${tb.master_weights} B (fp32 copy${tb.master_weights ? '' : ': none under this setup'})`),
    activations: term(activations, act.formula.replace(/^b·/, `${b}·`).replace(/^checkpointing: b·/, `checkpointing: ${b}·`)),
    logits: term(logits, `2 × b·${perSequenceLogits ? '1' : 's'}·V·4 B = 2 × ${b}·${sLogits}·${V}·4 (fp32 logits${perSequenceLogits ? ' of one pooled position per sequence' : ''}, doubled during the loss and its gradient)`),
    overhead: term(setup.overhead_bytes, 'CUDA context, kernels and allocator slack (overhead_bytes)'),
  };
  const total = Object.values(breakdown).reduce((a, t) => a + t.bytes, 0);
  checkExactBytes(total, 'training memory');
  notes.push(`${setup.convention}: ${tb.rule}.`);
  if (q !== 'none')
    notes.push(
      `Quantized: every block Linear is stored packed; embeddings, norms, lm_head and task heads stay 16-bit; ${
        q === 'int8' || setup.bnb_4bit_keeps_input ? "bnb's autograd keeps each quantized Linear's input for backward" : "4-bit Linears keep only the packed weight for backward (current bitsandbytes; set bnb_4bit_keeps_input for older releases such as 0.41, which kept the input)"
      }.`,
    );
  return {
    convention: setup.convention,
    total_bytes: total,
    total_human: gib(total),
    total_formula: 'sum of the breakdown',
    breakdown,
    fixed_bytes: total - activations - logits,
    per_sample_bytes: act.per_sample + logitsPerSample,
    parameters,
    weights_detail: { frozen_bytes: frozen16 * w, quantized_bytes: qBytes, trainable_bytes: T * tb.weights, dequant_workspace_bytes: dequantWorkspace },
    checkpoint,
    activation_detail: act.report,
    notes,
  };
}
