/** Request pieces → the EstimateModel: config, inventory, accounting and the PEFT facts the estimates read. */
import { invalidInput } from '../../errors.js';
import type { ModelRef, PeftConfig, TaskType } from '../../schemas/model.js';
import { countParameters } from '../accounting/index.js';
import { buildInventory, resolveModelConfig } from '../architectures/index.js';
import type { EstimateModel, PeftFacts } from './types.js';

export interface EstimateRequestModel {
  model: ModelRef;
  task_type: TaskType;
  num_labels?: number;
  peft?: PeftConfig | PeftConfig[];
}

function peftFacts(p: PeftConfig, path: string): PeftFacts {
  const dropout = (p as Record<string, unknown>).lora_dropout;
  if (dropout !== undefined && (typeof dropout !== 'number' || !(dropout >= 0 && dropout < 1)))
    throw invalidInput('lora_dropout must be a number in [0, 1).', [{ path: `body.${path}.lora_dropout`, message: 'must be a number in [0, 1)' }]);
  return {
    peft_type: String(p.peft_type).toUpperCase(),
    num_virtual_tokens: p.num_virtual_tokens,
    lora_dropout: typeof dropout === 'number' ? dropout : undefined,
  };
}

export function loadEstimateModel(req: EstimateRequestModel): EstimateModel {
  const config = resolveModelConfig(req.model);
  const inventory = buildInventory(config, { task_type: req.task_type, num_labels: req.num_labels });
  const accounting = countParameters(inventory, req.peft, { task_type: req.task_type });
  const list = req.peft === undefined ? [] : Array.isArray(req.peft) ? req.peft : [req.peft];
  return { inventory, accounting, config, peft: list.map((p, i) => peftFacts(p, Array.isArray(req.peft) ? `peft.${i}` : 'peft')) };
}
