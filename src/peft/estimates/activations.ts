/**
 * Activations kept for backward, counted tensor by tensor per transformer block (the method of Korthikanti
 * et al. 2022, which gives s·b·h·(34 + 5·a·s/h) for a GPT layer, applied to each block as it is built).
 * A Linear keeps its input only when its weight needs a gradient, when bitsandbytes' autograd function
 * keeps it (int8; 4-bit under bitsandbytes ≤ 0.41), or when an adapter reads it; attention and the MLP non-linearity keep
 * theirs whenever input gradients flow, which they do through every block above the lowest trainable one.
 */
import type { ArchitectureDims } from '../architectures/types.js';
import type { DropoutRates } from './dropout.js';
import type { LinearGroup, ModuleState } from './modules.js';
import type { AttnImplementation } from './types.js';

export interface SavedTensor {
  name: string;
  /** Bytes per token of the (effective) sequence. */
  bytes_per_token: number;
}

export interface BlockActivations {
  block: string;
  tensors: SavedTensor[];
  bytes_per_token: number;
  /** Bytes per sequence that do not scale with its length (prefix keys and values). */
  bytes_per_sequence: number;
}

export interface ActivationContext {
  dims: ArchitectureDims;
  /** Activation dtype bytes. */
  e: number;
  /** Key length seen by attention (sequence plus prefix positions). */
  key_len: number;
  prefix_tokens: number;
  dropout: DropoutRates;
  attn: AttnImplementation;
  lora_dropout: number;
  /** Quantized Linears keep their input for backward (int8, and 4-bit under bitsandbytes ≤ 0.41). */
  quantized_keeps_input: boolean;
}

const add = (list: SavedTensor[], name: string, bytes: number) => {
  if (bytes > 0) list.push({ name, bytes_per_token: bytes });
};

/** Does some module of this group keep its input? */
function groupNeedsInput(mods: ModuleState[], ctx: ActivationContext): boolean {
  const loraDropout = ctx.lora_dropout;
  return mods.some(
    (m) =>
      m.weight_trainable ||
      (m.quantized && ctx.quantized_keeps_input) || // bnb ≤ 0.41's MatMul4Bit and MatMul8bitLt keep A whenever A needs a gradient
      m.adapters.some((a) => (a.peft_type === 'LORA' ? loraDropout === 0 : a.peft_type === 'IA3' ? m.group === 'mlp_out' : a.peft_type !== 'BOTTLENECK')),
  );
}

/** Tensors that adapters on these modules keep, beyond the group input. */
function adapterTensors(list: SavedTensor[], mods: ModuleState[], ctx: ActivationContext): void {
  const { e, dims } = ctx;
  for (const m of mods) {
    const inF = m.spec.in_features ?? dims.hidden_size;
    const outF = m.spec.out_features ?? dims.hidden_size;
    for (const a of m.adapters) {
      const tag = m.spec.name.split('.').slice(-2).join('.');
      if (a.peft_type === 'LORA') {
        if (ctx.lora_dropout > 0) {
          add(list, `${tag} lora_dropout(x) (in·E)`, (a.in_features ?? inF) * e);
          add(list, `${tag} lora dropout mask (in·1 B)`, a.in_features ?? inF);
        }
        add(list, `${tag} lora_A output (r·E)`, (a.r ?? 0) * e);
      } else if (a.peft_type === 'IA3') {
        if (m.group !== 'mlp_out') add(list, `${tag} ia3 scaled output (out·E)`, outF * e);
      } else if (a.peft_type === 'BOTTLENECK') {
        const h = dims.hidden_size;
        const d = Math.max(0, Math.round((a.params - h) / (2 * h + 1)));
        add(list, `${tag} adapter input, bottleneck pre/post activation ((h + 2·d)·E)`, (h + 2 * d) * e);
      }
    }
  }
}

function normTensors(list: SavedTensor[], norms: ModuleState[], ctx: ActivationContext): void {
  const { e, dims } = ctx;
  const qd = dims.num_attention_heads * dims.head_dim;
  const kvd = dims.num_key_value_heads * dims.head_dim;
  for (const n of norms) {
    const last = n.spec.name.split('.').pop() ?? '';
    const width = /^q_(layer)?norm$/.test(last) ? qd : /^k_(layer)?norm$/.test(last) ? kvd : dims.hidden_size;
    if (n.bias_numel > 0) {
      add(list, `${last} input (${width}·E) + mean, rstd (8 B)`, width * e + 8);
    } else {
      // HF's RMSNorm upcasts to fp32 and keeps that copy; a trainable weight also keeps the normalized output.
      add(list, `${last} fp32 input (${width}·4 B) + rstd (4 B)`, width * Math.max(4, e) + 4);
      if (n.any_trainable) add(list, `${last} normalized output for its weight grad (${width}·E)`, width * e);
    }
  }
}

function attentionTensors(list: SavedTensor[], label: string, groups: Map<LinearGroup, ModuleState[]>, inG: LinearGroup[], outG: LinearGroup, ctx: ActivationContext): void {
  const { e, dims, key_len, attn } = ctx;
  const a = dims.num_attention_heads;
  const qd = a * dims.head_dim;
  const kvd = dims.num_key_value_heads * dims.head_dim;
  for (const g of inG) {
    const mods = groups.get(g) ?? [];
    if (groupNeedsInput(mods, ctx)) add(list, `${label} ${g === 'xattn_kv' ? 'encoder output' : 'projection input'} (h·E)`, dims.hidden_size * e);
    adapterTensors(list, mods, ctx);
  }
  // Eager attention runs repeat_kv before its matmuls, so under GQA it keeps k and v expanded to all a heads;
  // sdpa (torch ≥ 2.5, enable_gqa) and flash attention keep them at num_key_value_heads.
  if (attn === 'eager' && kvd < qd) add(list, `${label} q, and k, v repeated to a heads (repeat_kv) for attention backward (3·a·head_dim·E)`, 3 * qd * e);
  else add(list, `${label} q, k, v for attention backward ((a + 2·kv)·head_dim·E)`, (qd + 2 * kvd) * e);
  if (attn === 'sdpa') {
    add(list, `${label} sdpa output + log-sum-exp (a·head_dim·E + a·4 B)`, qd * e + a * 4);
  } else {
    add(list, `${label} softmax probabilities (a·s·E)`, a * key_len * e);
    if (ctx.dropout.attention > 0) {
      add(list, `${label} attention dropout mask (a·s·1 B)`, a * key_len);
      add(list, `${label} dropped probabilities (a·s·E)`, a * key_len * e);
    }
  }
  const outMods = groups.get(outG) ?? [];
  if (attn === 'eager' && groupNeedsInput(outMods, ctx)) add(list, `${label} output-projection input (a·head_dim·E)`, qd * e);
  adapterTensors(list, outMods, ctx);
  if (ctx.dropout.hidden > 0) add(list, `${label} residual dropout mask (h·1 B)`, dims.hidden_size);
}

/** Qwen2-MoE's shared expert: a gated MLP every token goes through, beside the k routed experts. */
const SHARED_EXPERT = /\.shared_expert\./;

/**
 * Qwen2MoeSparseMoeBlock's shared expert: its gated MLP over every token, and `sigmoid(shared_expert_gate(x)) *
 * shared_expert(x)`, whose product keeps both factors (the sigmoid output, which its own backward reuses, and the
 * expert output).
 */
function sharedExpertTensors(list: SavedTensor[], sharedIn: ModuleState[], sharedOut: ModuleState[], ctx: ActivationContext): void {
  const { e, dims } = ctx;
  const h = dims.hidden_size;
  const i = sharedOut[0]?.spec.in_features ?? dims.intermediate_size;
  if (groupNeedsInput(sharedIn, ctx)) add(list, 'shared expert input (h·E)', h * e);
  adapterTensors(list, sharedIn, ctx);
  add(list, 'shared expert gate output, activation output, up output (3·i_shared·E)', 3 * i * e);
  if (groupNeedsInput(sharedOut, ctx)) add(list, 'shared expert down-projection input (i_shared·E)', i * e);
  adapterTensors(list, sharedOut, ctx);
  add(list, 'shared_expert_gate sigmoid output and the shared expert output it scales ((1 + h)·E)', (1 + h) * e);
}

/** The tensors one block keeps for backward, per token (eager attention's a·s terms included). */
export function blockActivations(block: string, mods: ModuleState[], ctx: ActivationContext): BlockActivations {
  const { e, dims } = ctx;
  const h = dims.hidden_size;
  const groups = new Map<LinearGroup, ModuleState[]>();
  for (const m of mods) if (m.group) groups.set(m.group, [...(groups.get(m.group) ?? []), m]);
  const list: SavedTensor[] = [];
  normTensors(list, mods.filter((m) => m.spec.kind === 'norm'), ctx);
  if (groups.has('attn_in')) attentionTensors(list, 'self-attn', groups, ['attn_in'], 'attn_out', ctx);
  if (groups.has('xattn_q') || groups.has('xattn_kv')) attentionTensors(list, 'cross-attn', groups, ['xattn_q', 'xattn_kv'], 'xattn_out', ctx);
  if (groups.has('mlp_in')) {
    const shared = (g: LinearGroup) => (groups.get(g) ?? []).filter((m) => SHARED_EXPERT.test(m.spec.name));
    const mlpIn = (groups.get('mlp_in') ?? []).filter((m) => !SHARED_EXPERT.test(m.spec.name));
    const mlpOut = (groups.get('mlp_out') ?? []).filter((m) => !SHARED_EXPERT.test(m.spec.name));
    const i = mlpOut[0]?.spec.in_features ?? dims.intermediate_size;
    // A routed block runs k experts per token; a dense block of an MoE model (Qwen2-MoE's mlp_only_layers) runs its one MLP.
    const routed = dims.num_experts > 1 && groups.has('router');
    const k = routed ? Math.max(1, dims.num_experts_per_token) : 1;
    const moe = routed ? ` ×${k} experts per token` : '';
    if (groups.has('router')) add(list, `router probabilities (num_experts·4 B)`, dims.num_experts * 4);
    if (groupNeedsInput(mlpIn, ctx)) add(list, `MLP input (h·E${moe})`, k * h * e);
    adapterTensors(list, mlpIn, ctx);
    if (dims.mlp === 'gated') add(list, `gated MLP: gate output, activation output, up output (3·i·E${moe})`, 3 * k * i * e);
    else add(list, `MLP activation input (i·E${moe})`, k * i * e);
    if (groupNeedsInput(mlpOut, ctx)) add(list, `down-projection input (i·E${moe})`, k * i * e);
    adapterTensors(list, mlpOut, ctx);
    if (shared('mlp_in').length > 0) sharedExpertTensors(list, shared('mlp_in'), shared('mlp_out'), ctx);
    if (ctx.dropout.hidden > 0) add(list, 'MLP residual dropout mask (h·1 B)', h);
  }
  const kvd = dims.num_key_value_heads * dims.head_dim;
  const perSeq = ctx.prefix_tokens > 0 ? 2 * kvd * ctx.prefix_tokens * e : 0;
  return { block, tensors: list, bytes_per_token: list.reduce((a, t) => a + t.bytes_per_token, 0), bytes_per_sequence: perSeq };
}
