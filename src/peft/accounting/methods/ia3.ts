import { unprocessable } from '../../../errors.js';
import { DEFAULTS_BY_MODEL_TYPE } from '../defaults.js';
import { fullMatcher } from '../targets.js';
import { addBeside, type MethodContext } from './context.js';
import { wrapAndMatchTargets } from './targeting.js';

/** IA3: one learned scaling vector per target, of size in_features on feed-forward modules, out_features otherwise. */
export function applyIa3(ctx: MethodContext): void {
  const { fields, state } = ctx;
  const modelType = state.inventory.dims.model_type;
  const defaults = DEFAULTS_BY_MODEL_TYPE[modelType]?.ia3;
  const userTargets = fields.targets('target_modules');
  let feedforward = fields.targets('feedforward_modules');
  if (Array.isArray(userTargets) && Array.isArray(feedforward) && !feedforward.every((f) => userTargets.includes(f))) {
    fields.fail('feedforward_modules', '`feedforward_modules` should be a subset of `target_modules`');
  }
  if (feedforward === undefined) {
    if (!defaults) {
      const message = `Please specify \`feedforward_modules\` in \`peft_config\`: PEFT has no default for model_type "${modelType}"`;
      throw unprocessable(message, [{ path: `${fields.path}.feedforward_modules`, message: 'required for this model_type' }]);
    }
    feedforward = [...defaults.feedforward];
  }
  const ffRegex = typeof feedforward === 'string' ? fullMatcher(feedforward, `${fields.path}.feedforward_modules`) : undefined;
  const ffList = Array.isArray(feedforward) ? feedforward : [];
  const isFeedforward = (name: string) => (ffRegex ? ffRegex.test(name) : ffList.some((f) => name.endsWith(f)));

  const { matched } = wrapAndMatchTargets(ctx, defaults?.targets);
  for (const { name, row } of matched) {
    const m = row === undefined ? undefined : state.inventory.modules[row];
    if (!m || !(m.kind === 'linear' || m.kind === 'conv1d' || m.kind === 'conv2d')) {
      const message = `Target module ${name} (${m ? m.kind : 'a container module'}) is not supported. Currently, only \`torch.nn.Linear\`, \`torch.nn.Conv2d\`, and \`Conv1D\` are supported.`;
      throw unprocessable(message, [{ path: `${fields.path}.target_modules`, message }]);
    }
    const ff = isFeedforward(name);
    addBeside(ctx, row!, ff ? m.in_features! : m.out_features!, { in_features: m.in_features, out_features: m.out_features });
  }
  ctx.summary.adapted_modules += matched.length;
}
