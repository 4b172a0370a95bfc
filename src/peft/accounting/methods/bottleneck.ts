import { shownValue } from '../../../errors.js';
import type { ModuleSpec } from '../../architectures/types.js';
import { addBeside, type MethodContext } from './context.js';

/** AdapterHub's BnConfig presets (adapters library): where adapters go and their shape defaults. */
const PRESETS = {
  seq_bn: { mh_adapter: false, output_adapter: true, reduction_factor: 16, scaling: 1 as number | string },
  double_seq_bn: { mh_adapter: true, output_adapter: true, reduction_factor: 16, scaling: 1 as number | string },
  par_bn: { mh_adapter: false, output_adapter: true, reduction_factor: 2, scaling: 4 as number | string },
} as const;

const ALIASES: Record<string, keyof typeof PRESETS> = { pfeiffer: 'seq_bn', houlsby: 'double_seq_bn', parallel: 'par_bn' };

/** AdapterHub heads stay trainable in place (train_adapter freezes the base model only). */
const HEAD_TASKS = new Set(['SEQ_CLS', 'TOKEN_CLS', 'QUESTION_ANS', 'IMAGE_CLASSIFICATION']);

/** AdapterHub's bottleneck width: the hidden size over the reduction factor, rounded down, at least 1. */
export const bottleneckSize = (hidden: number, reductionFactor: number) => Math.max(1, Math.floor(hidden / reductionFactor));

/**
 * BOTTLENECK (AdapterHub counting): per placed adapter, Linear(h→d) + Linear(d→h) with biases,
 * d = floor(h / reduction_factor), plus optional LayerNorms before/after, a gate Linear(h→1), and
 * a learned scalar or per-channel scaling. Placed after attention (mh_adapter), after cross-attention
 * (cross_adapter) and after the FFN (output_adapter) of every block not in leave_out.
 */
export function applyBottleneck(ctx: MethodContext): void {
  const { fields, state } = ctx;
  const name = fields.value('config') ?? 'seq_bn';
  const presetName = typeof name === 'string' ? (ALIASES[name] ?? name) : '';
  if (!(presetName in PRESETS)) fields.fail('config', `must be one of "seq_bn", "double_seq_bn", "par_bn" (or pfeiffer, houlsby, parallel), got ${shownValue(name)}`);
  const preset = PRESETS[presetName as keyof typeof PRESETS];
  const h = state.inventory.dims.hidden_size;
  const mh = fields.bool('mh_adapter', preset.mh_adapter);
  const output = fields.bool('output_adapter', preset.output_adapter);
  const cross = fields.bool('cross_adapter', false);
  const lnBefore = fields.bool('ln_before', false);
  const lnAfter = fields.bool('ln_after', false);
  const gating = fields.bool('use_gating', false);
  const scaling = fields.value('scaling') ?? preset.scaling;
  if (typeof scaling !== 'number' && scaling !== 'learned' && scaling !== 'channel') fields.fail('scaling', 'must be a number, "learned" or "channel"');
  const leaveOutRaw = fields.intOrIntList('leave_out');
  const leaveOut = new Set<number>(leaveOutRaw === undefined ? [] : ([] as number[]).concat(leaveOutRaw));
  const reduction = readReduction(ctx, preset.reduction_factor);

  const perAdapter = (layer: number | undefined) => {
    const rf = layer !== undefined && reduction.perLayer.has(layer) ? reduction.perLayer.get(layer)! : reduction.default;
    const down = bottleneckSize(h, rf);
    let n = h * down + down + down * h + h;
    if (lnBefore) n += 2 * h;
    if (lnAfter) n += 2 * h;
    if (gating) n += h + 1;
    if (scaling === 'learned') n += 1;
    if (scaling === 'channel') n += h;
    return n;
  };
  const wanted: Record<NonNullable<ModuleSpec['sublayer_output']>, boolean> = { attention: mh, cross_attention: cross, mlp: output };
  let placed = 0;
  state.inventory.modules.forEach((m, row) => {
    if (!m.sublayer_output || !wanted[m.sublayer_output]) return;
    if (m.layer_index !== undefined && leaveOut.has(m.layer_index)) return;
    addBeside(ctx, row, perAdapter(m.layer_index), { in_features: h, out_features: h });
    placed++;
  });
  ctx.summary.adapted_modules += placed;
  if (HEAD_TASKS.has(ctx.task)) {
    const heads: number[] = [];
    state.baseParams.forEach((p, i) => {
      if (state.inventory.modules[p.row].role === 'head') heads.push(i);
    });
    ctx.summary.base_params_made_trainable += state.makeTrainable(heads);
  }
}

/** reduction_factor: a number, or AdapterHub's mapping {"default": rf, "<layer>": rf}. */
function readReduction(ctx: MethodContext, fallback: number): { default: number; perLayer: Map<number, number> } {
  const { fields } = ctx;
  const raw = fields.value('reduction_factor');
  const perLayer = new Map<number, number>();
  const check = (v: unknown, key: string): number => {
    if (typeof v !== 'number' || !(v > 0)) fields.fail(key, `must be a positive number, got ${shownValue(v)}`);
    return v as number;
  };
  if (raw === undefined) return { default: fallback, perLayer };
  if (typeof raw === 'object' && !Array.isArray(raw)) {
    let def = fallback;
    for (const [key, v] of Object.entries(raw as Record<string, unknown>)) {
      if (key === 'default') def = check(v, 'reduction_factor.default');
      else if (/^\d+$/.test(key)) perLayer.set(Number(key), check(v, `reduction_factor.${key}`));
      else fields.fail(`reduction_factor.${key}`, 'keys must be "default" or a layer index');
    }
    return { default: def, perLayer };
  }
  return { default: check(raw, 'reduction_factor'), perLayer };
}
