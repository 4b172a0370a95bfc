/** Request pieces → the EstimateModel: config, inventory, accounting and the PEFT facts the estimates read. */
import { invalidInput, overBudget } from '../../errors.js';
import type { ModelRef, PeftConfig, TaskType } from '../../schemas/model.js';
import { countParameters } from '../accounting/index.js';
import { buildInventory, DEPTH_KEYS, resolveModelConfig, type ModelInventory } from '../architectures/index.js';
import { resolveTaskType, type ResolvedTaskType } from '../architectures/task-type.js';
import type { EstimateModel, PeftFacts } from './types.js';

export interface EstimateRequestModel {
  model: ModelRef;
  /** Absent: decided by resolveTaskType (the adapter's task_type, config.architectures[0], the family default). */
  task_type?: TaskType;
  num_labels?: number;
  peft?: PeftConfig | PeftConfig[];
}

function peftFacts(p: PeftConfig, path: string): PeftFacts {
  const dropout = (p as Record<string, unknown>).lora_dropout;
  if (dropout !== undefined && (typeof dropout !== 'number' || !(dropout >= 0 && dropout < 1)))
    throw invalidInput('lora_dropout must be a number in [0, 1).', [{ path: `body.${path}.lora_dropout`, message: 'must be a number in [0, 1)' }]);
  return {
    peft_type: String(p.peft_type).toUpperCase(),
    num_virtual_tokens: p.num_virtual_tokens ?? undefined,
    lora_dropout: typeof dropout === 'number' ? dropout : undefined,
  };
}

/** The largest real models have ~128 blocks and ~256 experts; far beyond that, building the inventory would take seconds and gigabytes. */
const MAX_BLOCKS = 1024;
const BLOCK_KEYS = [...DEPTH_KEYS, 'num_local_experts', 'num_experts'];

function checkBudget(config: Record<string, unknown>): void {
  for (const key of BLOCK_KEYS) {
    const v = config[key];
    if (typeof v === 'number' && v > MAX_BLOCKS)
      throw overBudget(`config.${key} = ${v} is over the estimate budget of ${MAX_BLOCKS}.`, [{ path: `body.model.config.${key}`, message: `at most ${MAX_BLOCKS}` }], { budget: MAX_BLOCKS, requested: v });
  }
}

/** The config, task and inventory an estimate runs over: the model, task_type, num_labels and the adapters' task_type decide them. */
export interface EstimateBase {
  config: Record<string, unknown>;
  task: ResolvedTaskType;
  inventory: ModelInventory;
}

export function loadEstimateBase(req: EstimateRequestModel): EstimateBase {
  const config = resolveModelConfig(req.model);
  checkBudget(config);
  const task = resolveTaskType(config, req);
  return { config, task, inventory: buildInventory(config, { task_type: task.task_type, num_labels: req.num_labels }) };
}

/** The model with its accounting; a sweep passes the base it built once for all its points. */
export function loadEstimateModel(req: EstimateRequestModel, { config, task, inventory }: EstimateBase = loadEstimateBase(req)): EstimateModel & { task: ResolvedTaskType } {
  const accounting = countParameters(inventory, req.peft, { task_type: task.task_type });
  const list = req.peft === undefined ? [] : Array.isArray(req.peft) ? req.peft : [req.peft];
  return { inventory, accounting, config, task, peft: list.map((p, i) => peftFacts(p, Array.isArray(req.peft) ? `peft.${i}` : 'peft')) };
}
