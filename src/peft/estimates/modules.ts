/** Joins the inventory with the accounting table: per module, its block, its place in the block and what trains. */
import type { AdapterAttachment, AccountingResult, ModuleRow } from '../accounting/types.js';
import { numel } from '../architectures/index.js';
import type { ModelInventory, ModuleSpec } from '../architectures/types.js';
import { isQuantizable } from './quantization.js';
import type { Quantization } from './types.js';

/** Which tensor a Linear reads, inside a transformer block. */
export type LinearGroup = 'attn_in' | 'attn_out' | 'xattn_q' | 'xattn_kv' | 'xattn_out' | 'mlp_in' | 'mlp_out' | 'router';

export interface ModuleState {
  spec: ModuleSpec;
  /** "model.layers.3" for every module inside block 3 (encoder and decoder blocks stay apart). */
  block?: string;
  group?: LinearGroup;
  /** numel of the module's own, untied weight and bias. */
  weight_numel: number;
  bias_numel: number;
  /** The base weight (or a modules_to_save copy of it) requires grad, so the module keeps its input for the weight gradient. */
  weight_trainable: boolean;
  /** Any trainable parameter on this module (norms under LN tuning, biases, adapters). */
  any_trainable: boolean;
  quantized: boolean;
  /** LoRA / IA3 / bottleneck attachments (not modules_to_save or LN tuning copies). */
  adapters: AdapterAttachment[];
}

const COPY_TYPES = new Set(['MODULES_TO_SAVE', 'LN_TUNING']);
const ATTN_OUT = new Set(['o_proj', 'out_proj', 'o', 'c_proj', 'dense', 'wo', 'out_lin']);
const MLP_OUT = new Set(['down_proj', 'fc2', 'c_proj', 'dense_4h_to_h', 'wo', 'w2', 'fc_out', 'lin2']);
const CROSS = /(EncDecAttention|encoder_attn|crossattention|cross_attn)/;

/** Prefix of the name up to the first numeric segment: the block a module belongs to. */
function blockKey(name: string): string | undefined {
  const parts = name.split('.');
  const i = parts.findIndex((p) => /^\d+$/.test(p));
  return i < 0 ? undefined : parts.slice(0, i + 1).join('.');
}

function linearGroup(spec: ModuleSpec): LinearGroup | undefined {
  if (spec.kind !== 'linear' && spec.kind !== 'conv1d') return undefined;
  const last = spec.name.split('.').pop() ?? '';
  if (spec.role === 'router') return 'router';
  if (spec.role === 'attention') {
    // BERT's attention.output.dense reads the attention output; its output.dense reads the FFN's.
    const isOut = ATTN_OUT.has(last) || /attention\.output\.dense$/.test(spec.name);
    if (CROSS.test(spec.name)) return isOut ? 'xattn_out' : /(^|\.)(q|q_proj|query)$/.test(spec.name) ? 'xattn_q' : 'xattn_kv';
    return isOut ? 'attn_out' : 'attn_in';
  }
  if (spec.role === 'mlp') return MLP_OUT.has(last) || /(^|\.)output\.dense$/.test(spec.name) ? 'mlp_out' : 'mlp_in';
  return undefined;
}

export function moduleStates(inventory: ModelInventory, accounting: AccountingResult, quantization: Quantization): ModuleState[] {
  const rows = new Map<string, ModuleRow>(accounting.modules.map((r) => [r.name, r]));
  const owners = new Map<string, string>(); // parameter name → module owning it
  for (const m of inventory.modules) for (const p of m.params) owners.set(p.name, m.name);
  return inventory.modules.map((spec) => {
    const row = rows.get(spec.name);
    const own = spec.params.filter((p) => !p.tied_to);
    const ownNumel = (suffix: string) => own.filter((p) => p.name.endsWith(suffix)).reduce((a, p) => a + numel(p.shape), 0);
    const attachments = row?.attachments ?? [];
    const adapters = attachments.filter((a) => !COPY_TYPES.has(a.peft_type));
    const adapterParams = adapters.reduce((a, x) => a + x.params, 0);
    const baseTrainable = (row?.trainable_params ?? 0) - adapterParams;
    const biasNumel = ownNumel('.bias');
    // Only a trainable bias needs no input; a trainable weight (or its modules_to_save copy) does.
    // A tied output embedding trains with its owner: its matmul then keeps its input for the shared weight's gradient.
    const tiedWeight = spec.params.find((p) => p.tied_to && p.name.endsWith('.weight'))?.tied_to;
    const tiedOwnerTrainable = tiedWeight !== undefined && (rows.get(owners.get(tiedWeight) ?? '')?.trainable_params ?? 0) > 0;
    const weightTrainable = baseTrainable > biasNumel || tiedOwnerTrainable || attachments.some((a) => a.peft_type === 'MODULES_TO_SAVE');
    return {
      spec,
      block: spec.layer_index === undefined ? undefined : blockKey(spec.name),
      group: spec.layer_index === undefined ? undefined : linearGroup(spec),
      weight_numel: ownNumel('.weight'),
      bias_numel: biasNumel,
      weight_trainable: weightTrainable,
      any_trainable: (row?.trainable_params ?? 0) > 0,
      quantized: quantization !== 'none' && isQuantizable(spec) && !weightTrainable,
      adapters,
    };
  });
}
