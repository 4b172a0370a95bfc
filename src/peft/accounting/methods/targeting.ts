import { unprocessable } from '../../../errors.js';
import { foreignNameNotes } from '../../architectures/name-variants.js';
import { matchTargets, targetsNotFound, type MatchedModule, type TargetSpec } from '../targets.js';
import type { MethodContext } from './context.js';
import { applyModulesToSave, isUnder } from './modules-to-save.js';

export interface MatchedTargets {
  /** Modules modules_to_save wrapped (their originals are never targeted). */
  wrapped: string[];
  spec: TargetSpec;
  /** At least one: no match is a 422. */
  matched: MatchedModule[];
}

/**
 * The targeting every target-matching method (LoRA, IA3, LN tuning) runs: wrap modules_to_save, resolve
 * the target spec, match it outside the wrapped modules, and refuse a spec that matches nothing.
 */
export function wrapAndMatchTargets(ctx: MethodContext, defaults: readonly string[] | undefined, layerFilter = false): MatchedTargets {
  const { fields, state } = ctx;
  const wrapped = applyModulesToSave(ctx, fields.stringList('modules_to_save'));
  const spec = resolveTargetSpec(ctx, defaults, wrapped, layerFilter);
  const matched = matchTargets(state.inventory, spec, fields, (name) => isUnder(name, wrapped));
  if (matched.length === 0) targetsNotFound(fields, spec, Array.isArray(spec.target_modules) ? foreignNameNotes(state.inventory.dims.model_type, spec.target_modules) : []);
  return { wrapped, spec, matched };
}

/** Target specification shared by the target-matching methods: explicit, "all-linear", or the model type's default. */
function resolveTargetSpec(ctx: MethodContext, defaults: readonly string[] | undefined, wrapped: readonly string[], layerFilter: boolean): TargetSpec {
  const { fields, state } = ctx;
  let targets = fields.targets('target_modules');
  let leafOnly = false;
  let leafRows: number[] | undefined;
  if (targets === undefined) {
    if (!defaults) {
      const message = `Please specify \`target_modules\` in \`peft_config\`: PEFT has no default for model_type "${state.inventory.dims.model_type}"`;
      throw unprocessable(message, [{ path: `${fields.path}.target_modules`, message: 'required for this model_type' }]);
    }
    targets = [...defaults];
  } else if (typeof targets === 'string' && targets.toLowerCase() === 'all-linear') {
    leafRows = allLinearRows(ctx, wrapped);
    const mods = state.inventory.modules;
    targets = leafRows.map((row) => mods[row].name);
    leafOnly = true;
  }
  return {
    target_modules: targets,
    // Only LoRA's config has layers_to_transform / layers_pattern; other methods ignore the keys.
    layers_to_transform: layerFilter ? fields.intOrIntList('layers_to_transform') : undefined,
    layers_pattern: layerFilter ? fields.stringOrList('layers_pattern') : undefined,
    exclude_modules: fields.stringOrList('exclude_modules'),
    leaf_only: leafOnly,
    leaf_rows: leafRows,
  };
}

/**
 * "all-linear": the rows of every Linear / Conv1D, less the output embedding and, for SEQ_CLS
 * models without one, the top-level classifier/score head (PEFT's _maybe_include_all_linear_layers).
 */
function allLinearRows(ctx: MethodContext, wrapped: readonly string[]): number[] {
  const mods = ctx.state.inventory.modules;
  let hasOutputEmbedding = false;
  for (const m of mods) if (m.role === 'lm_head') hasOutputEmbedding = true;
  let clsHead: string | undefined;
  if (!hasOutputEmbedding && ctx.task === 'SEQ_CLS') clsHead = ['score', 'classifier'].find((n) => mods.some((m) => m.name === n));
  const rows: number[] = [];
  mods.forEach((m, row) => {
    if ((m.kind === 'linear' || m.kind === 'conv1d') && m.role !== 'lm_head' && m.name !== clsHead && (wrapped.length === 0 || !isUnder(m.name, wrapped))) rows.push(row);
  });
  return rows;
}
