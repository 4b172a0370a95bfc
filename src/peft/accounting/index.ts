import { unprocessable, shownValue } from '../../errors.js';
import type { PeftConfig, TaskType } from '../../schemas/model.js';
import { MAX_PARAMETERS } from '../architectures/index.js';
import type { ModelInventory } from '../architectures/types.js';
import type { MethodContext } from './methods/context.js';
import { METHODS, SUPPORTED_PEFT_TYPES } from './methods/registry.js';
import { PeftFields } from './peft-fields.js';
import { printedLine, trainablePercent } from './printed.js';
import { AccountingState } from './state.js';
import type { AccountingResult, AdapterSummary } from './types.js';

export type { AccountingResult, ModuleRow, AdapterAttachment, AdapterSummary } from './types.js';
export { printedLine, formatFixed, formatFixed4, formatThousands } from './printed.js';
export { SUPPORTED_PEFT_TYPES } from './methods/registry.js';

export type Quantization = 'none' | '8bit' | '4bit';

/**
 * Applies PEFT config(s) over a module inventory and counts as PEFT's print_trainable_parameters()
 * does. No peft → full fine-tuning (every parameter the model does not itself freeze is trainable).
 * Stacked adapters are all active and trainable, each applied to the base model's module names.
 */
export function countParameters(
  inventory: ModelInventory,
  peft: PeftConfig | PeftConfig[] | undefined,
  opts: { task_type: TaskType; quantization?: Quantization },
): AccountingResult {
  const state = new AccountingState(inventory);
  const configs = peft === undefined ? [] : Array.isArray(peft) ? peft : [peft];
  const adapters: AdapterSummary[] = [];

  if (configs.length === 0) {
    state.makeTrainable(state.baseParams.keys());
  }
  configs.forEach((config, i) => {
    const path = Array.isArray(peft) ? `body.peft.${i}` : 'body.peft';
    const fields = new PeftFields(config, path);
    const peftType = String(config.peft_type ?? '').toUpperCase();
    const method = METHODS[peftType];
    if (!method) {
      const message = `peft_type ${shownValue(config.peft_type)} is not supported; supported: ${SUPPORTED_PEFT_TYPES.join(', ')}`;
      throw unprocessable(message, [{ path: `${path}.peft_type`, message }]);
    }
    const adapterName = typeof config.adapter_name === 'string' ? config.adapter_name : i === 0 ? 'default' : `adapter_${i}`;
    if (config.inference_mode === true) {
      state.warnings.push(`${path}.inference_mode: true ignored: save_pretrained() writes it into every adapter_config.json; the counts are for training`);
    }
    const summary: AdapterSummary = { adapter_name: adapterName, peft_type: peftType, added_params: 0, base_params_made_trainable: 0, checkpoint_params: 0, adapted_modules: 0 };
    const ctx: MethodContext = { state, fields, adapterName, peftType, task: opts.task_type, summary };
    method(ctx);
    adapters.push(summary);
  });

  let base = 0;
  let baseAll = 0;
  let baseTrainable = 0;
  const fourBit = opts.quantization === '4bit';
  state.baseParams.forEach((p, i) => {
    if (p.tied) return;
    base += p.numel;
    // Params4bit is stored packed two per byte in ceil(numel/2) bytes; PEFT multiplies its numel back by 2.
    baseAll += fourBit && p.quantizable ? p.numel + (p.numel % 2) : p.numel;
    if (state.baseTrainable[i]) baseTrainable += p.numel;
  });
  let added = 0;
  for (const a of adapters) added += a.added_params;
  const trainable = baseTrainable + added;
  const all = baseAll + added;
  if (all > MAX_PARAMETERS) {
    throw unprocessable(`the adapters bring the count above ${MAX_PARAMETERS.toExponential(1)} parameters, beyond exact integer arithmetic`, [
      { path: 'body.peft', message: 'adapter too large to count exactly' },
    ]);
  }
  const result = {
    trainable_params: trainable,
    all_params: all,
    trainable_percent: trainablePercent(trainable, all),
    printed: printedLine(trainable, all),
    base_params: base,
    added_params: added,
    virtual_tokens: state.virtualTokens,
    checkpoint_params: configs.length === 0 ? trainable : adapters.reduce((s, a) => s + a.checkpoint_params, 0),
    adapters,
    warnings: state.warnings,
  } as AccountingResult;
  // The per-module table is built on first read (a summary request never pays for it), then kept.
  let modules: AccountingResult['modules'] | undefined;
  Object.defineProperty(result, 'modules', {
    enumerable: true,
    configurable: true,
    get: () => (modules ??= state.rows),
    set: (value: AccountingResult['modules']) => {
      modules = value;
    },
  });
  return result;
}
