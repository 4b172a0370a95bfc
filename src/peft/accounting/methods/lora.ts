import { unprocessable, shownValue } from '../../../errors.js';
import type { ModuleSpec } from '../../architectures/types.js';
import { foreignNameNotes } from '../../architectures/name-variants.js';
import { DEFAULTS_BY_MODEL_TYPE } from '../defaults.js';
import { patternKeyMatcher, unmatchedEntries } from '../targets.js';
import { addBeside, type MethodContext } from './context.js';
import { isUnder } from './modules-to-save.js';
import { wrapAndMatchTargets } from './targeting.js';

const LORA_KINDS = new Set<ModuleSpec['kind']>(['linear', 'conv1d', 'embedding', 'conv2d', 'conv1d_torch']);

/** PEFT's get_pattern_key: the first pattern key matching the module name as (.*\.)?key$. */
function rankFor(name: string, r: number, rankPattern: [RegExp, number][]): number {
  for (const [re, rank] of rankPattern) if (re.test(name)) return rank;
  return r;
}

/** LoRA: lora_A [r, in] + lora_B [out, r] per target (+ out for lora_bias, + out for DoRA's magnitude). */
export function applyLora(ctx: MethodContext): void {
  const { fields, state } = ctx;
  const r = fields.positiveInt('r', 8);
  const rankPatternRaw = fields.record('rank_pattern') ?? {};
  const rankPattern: [RegExp, number][] = Object.entries(rankPatternRaw).map(([key, value]) => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) fields.fail(`rank_pattern.${key}`, `must be a positive integer, got ${shownValue(value)}`);
    return [patternKeyMatcher(key, `${fields.path}.rank_pattern`), value as number];
  });
  const useDora = fields.bool('use_dora', false);
  fields.bool('use_rslora', false); // changes the scaling alpha/sqrt(r), not the count
  const loraBias = fields.bool('lora_bias', false);
  const bias = fields.oneOf('bias', ['none', 'all', 'lora_only'] as const, 'none');

  // LoRA options that change the count in ways this service does not model: refuse rather than guess.
  for (const key of ['layer_replication', 'trainable_token_indices', 'target_parameters']) {
    const v = fields.value(key);
    if (v !== undefined && !(Array.isArray(v) && v.length === 0) && !(typeof v === 'object' && v !== null && Object.keys(v).length === 0)) {
      fields.fail(key, 'is not supported by this service (it changes the parameter count in ways not modelled here)');
    }
  }
  const { wrapped, spec, matched } = wrapAndMatchTargets(ctx, DEFAULTS_BY_MODEL_TYPE[state.inventory.dims.model_type]?.lora, true);
  const missing = Array.isArray(fields.targets('target_modules')) ? unmatchedEntries(spec.target_modules, matched) : [];
  if (missing.length > 0) {
    const notes = foreignNameNotes(state.inventory.dims.model_type, missing).map((n) => `; ${n}`).join('');
    state.warnings.push(`${fields.path}.target_modules: ${missing.map((m) => `"${m}"`).join(', ')} matched no module (PEFT ignores them when other entries match)${notes}`);
  }

  const adaptedRows: number[] = [];
  for (const { name, row } of matched) {
    const m = row === undefined ? undefined : state.inventory.modules[row];
    if (!m || !LORA_KINDS.has(m.kind)) {
      const message = `Target module ${name} (${m ? m.kind : 'a container module'}) is not supported. Currently, only the following modules are supported: torch.nn.Linear, torch.nn.Embedding, torch.nn.Conv1d, torch.nn.Conv2d, transformers.pytorch_utils.Conv1D.`;
      throw unprocessable(message, [{ path: `${fields.path}.target_modules`, message }]);
    }
    const rank = rankFor(name, r, rankPattern);
    let params: number;
    let inF: number;
    let outF: number;
    if (m.kind === 'embedding') {
      inF = m.num_embeddings!;
      outF = m.embedding_dim!;
      if (loraBias) fields.fail('lora_bias', `is not supported for Embedding layers (target ${name})`);
      params = rank * (inF + outF);
    } else {
      inF = m.in_features!;
      outF = m.out_features!;
      let kernel = 1;
      if (m.kernel_size) for (const k of m.kernel_size) kernel *= k;
      params = rank * inF * kernel + outF * rank + (loraBias ? outF : 0);
    }
    if (useDora) params += outF;
    addBeside(ctx, row!, params, { r: rank, in_features: inF, out_features: outF, use_dora: useDora });
    adaptedRows.push(row!);
  }
  ctx.summary.adapted_modules += adaptedRows.length;

  if (bias !== 'none') {
    const rows = bias === 'lora_only' ? new Set(adaptedRows) : undefined;
    const picked: number[] = [];
    state.baseParams.forEach((p, i) => {
      if (bias === 'all' ? !p.name.includes('bias') : !(rows!.has(p.row) && p.name.endsWith('.bias'))) return;
      if (isUnder(state.inventory.modules[p.row].name, wrapped)) return; // originals of modules_to_save stay frozen
      picked.push(i);
    });
    const made = state.makeTrainable(picked);
    ctx.summary.base_params_made_trainable += made;
    ctx.summary.checkpoint_params += made;
  }
}
