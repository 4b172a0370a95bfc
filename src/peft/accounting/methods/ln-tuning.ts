import { numel } from '../../architectures/index.js';
import { DEFAULTS_BY_MODEL_TYPE } from '../defaults.js';
import { modulesUnder } from '../state.js';
import { addBeside, type MethodContext } from './context.js';
import { isUnder } from './modules-to-save.js';
import { wrapAndMatchTargets } from './targeting.js';

/** LN tuning: each targeted module (norms by default) is deep-copied; the copy trains, the original stays frozen. */
export function applyLnTuning(ctx: MethodContext): void {
  const { state } = ctx;
  const { matched } = wrapAndMatchTargets(ctx, DEFAULTS_BY_MODEL_TYPE[state.inventory.dims.model_type]?.ln_tuning);
  const copied: string[] = [];
  for (const { name } of matched) {
    if (isUnder(name, copied)) continue; // a copied parent already holds this module
    copied.push(name);
    for (const row of modulesUnder(state.inventory, name)) {
      const m = state.inventory.modules[row];
      const n = m.params.reduce((s, p) => s + numel(p.shape), 0);
      if (n > 0) addBeside(ctx, row, n);
    }
  }
  ctx.summary.adapted_modules += copied.length;
}
