import { notFound, overBudget, unprocessable, shownValue } from '../../errors.js';
import { LruMap } from '../../lru-map.js';
import { MAX_MODULES } from './builder.js';
import type { ModelRef, TaskType } from '../../schemas/model.js';
import { ConfigReader } from './config-reader.js';
import type { Family } from './family.js';
import { FAMILIES } from './registry.js';
import { REMOTE_CODE_MODEL_TYPES } from './name-variants.js';
import { PRESET_CONFIGS } from './presets.data.js';
import type { ModelInventory, ModuleSpec } from './types.js';

export type { ModelInventory, ModuleSpec, ParamSpec, ArchitectureDims } from './types.js';

const byModelType = new Map<string, Family>();
for (const family of FAMILIES) for (const t of family.model_types) byModelType.set(t, family);

/** Counts stay exact below 2^53 / 100 (PEFT's percentage multiplies by 100 first). */
export const MAX_PARAMETERS = Math.floor(Number.MAX_SAFE_INTEGER / 100);

/** Every model_type the service can build, sorted. */
export const SUPPORTED_MODEL_TYPES: readonly string[] = [...byModelType.keys()].sort();

/**
 * HF config.json → the named module inventory of the transformers class for `task_type`.
 * Unknown model_type, a task the family has no class for, or a missing field → 422.
 */
export function buildInventory(config: Record<string, unknown>, opts: { task_type: TaskType; num_labels?: number }): ModelInventory {
  const key = cacheKey(config, opts);
  const cached = key === undefined ? undefined : inventoryCache.get(key);
  if (cached) return cached;
  const inventory = buildInventoryUncached(config, opts);
  if (key !== undefined && inventory.modules.length <= CACHE_MAX_MODULES) inventoryCache.set(key, deepFreeze(inventory));
  return inventory;
}

const CACHE_ENTRIES = 64;
/**
 * Built inventories, the least recently used forgotten first. They are pure functions of (config, task,
 * labels) and frozen, so requests re-sending a config (or naming a preset) skip the build.
 */
const inventoryCache = new LruMap<string, ModelInventory>(CACHE_ENTRIES);
const CACHE_MAX_MODULES = 20_000;
const CACHE_MAX_KEY_CHARS = 64 * 1024;

function cacheKey(config: Record<string, unknown>, opts: { task_type: TaskType; num_labels?: number }): string | undefined {
  let json: string;
  try {
    json = JSON.stringify(config);
  } catch {
    return undefined; // not JSON (a direct caller's BigInt or cycle): build, don't cache
  }
  if (json === undefined || json.length > CACHE_MAX_KEY_CHARS) return undefined;
  return `${opts.task_type}|${opts.num_labels ?? ''}|${json}`;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** buildInventory without the cache (benchmarks measure the cold path with it). */
export function buildInventoryUncached(config: Record<string, unknown>, opts: { task_type: TaskType; num_labels?: number }): ModelInventory {
  const modelType = config.model_type;
  const family = typeof modelType === 'string' ? byModelType.get(modelType) : undefined;
  const remote = typeof modelType === 'string' && Object.hasOwn(REMOTE_CODE_MODEL_TYPES, modelType) ? REMOTE_CODE_MODEL_TYPES[modelType] : undefined;
  if (!family && remote) {
    const message = `model_type "${String(modelType)}" is ${remote.note}; remote-code checkpoints are not supported: paste the transformers config (model_type "${remote.model_type}")`;
    throw unprocessable(message, [{ path: 'body.model.config.model_type', message: `"${String(modelType)}" is a remote-code variant; use "${remote.model_type}"` }]);
  }
  if (!family) {
    throw unprocessable(`model_type ${shownValue(modelType ?? null)} is not supported; supported model types: ${SUPPORTED_MODEL_TYPES.join(', ')}`, [
      { path: 'body.model.config.model_type', message: `must be one of: ${SUPPORTED_MODEL_TYPES.join(', ')}` },
    ]);
  }
  if (!family.tasks.includes(opts.task_type)) {
    throw unprocessable(`task_type ${opts.task_type} has no transformers class for model_type "${String(modelType)}"; use one of: ${family.tasks.join(', ')}`, [
      { path: 'body.task_type', message: `must be one of ${family.tasks.join(', ')} for model_type "${String(modelType)}"` },
    ]);
  }
  refuseAbsurdDepth(config);
  const cfg = new ConfigReader(config);
  const numLabels = opts.num_labels ?? cfg.numLabels();
  const inventory = family.build(cfg, opts.task_type, numLabels);
  cfg.throwIfInvalid();
  if (countBaseParameters(inventory) > MAX_PARAMETERS) {
    throw unprocessable(`this config describes more than ${MAX_PARAMETERS.toExponential(1)} parameters, beyond exact integer arithmetic`, [
      { path: 'body.model.config', message: 'model too large to count exactly' },
    ]);
  }
  return inventory;
}

/** Every config key some family reads as a number of blocks. */
export const DEPTH_KEYS: readonly string[] = ['num_hidden_layers', 'n_layer', 'num_layers', 'num_decoder_layers', 'encoder_layers', 'decoder_layers'];

/**
 * Every block (and every expert of a block) owns at least one module, so depth × experts above
 * MAX_MODULES is refused before building anything (1e300 layers used to build 200,000 modules first).
 */
function refuseAbsurdDepth(config: Record<string, unknown>): void {
  // Mixtral spells the expert count num_local_experts, Qwen2-MoE num_experts.
  const expertsKey = typeof config.num_local_experts === 'number' ? 'num_local_experts' : 'num_experts';
  const count = config[expertsKey];
  const experts = typeof count === 'number' && count >= 1 ? count : 1;
  for (const key of DEPTH_KEYS) {
    const depth = config[key];
    if (typeof depth === 'number' && depth * experts > MAX_MODULES) {
      const field = depth > MAX_MODULES || experts === 1 ? key : expertsKey;
      throw overBudget(`config.${field} asks for more than ${MAX_MODULES} modules`, [{ path: `body.model.config.${field}`, message: `${key} × experts must stay within ${MAX_MODULES} modules` }]);
    }
  }
}

/** A preset id → its config.json; anything else is 404. */
export function presetConfig(id: string, path = 'body.model.preset'): Record<string, unknown> {
  const config = Object.hasOwn(PRESET_CONFIGS, id) ? PRESET_CONFIGS[id] : undefined;
  if (!config) {
    throw notFound(`no preset named "${id}"; GET /v1/models lists them`, [{ path, message: `unknown preset "${id}"` }]);
  }
  return { ...config };
}

/** {config} as given, or {preset} → that preset's config (404 for an unknown preset). */
export function resolveModelConfig(ref: ModelRef): Record<string, unknown> {
  return 'preset' in ref ? presetConfig(ref.preset) : (ref.config as Record<string, unknown>);
}

/** The task a preset is counted under in listings: its LM head for generative models, the bare model otherwise. */
export function defaultTaskType(config: Record<string, unknown>): TaskType {
  const family = byModelType.get(String(config.model_type));
  if (family && !family.encoder_only) for (const t of ['CAUSAL_LM', 'SEQ_2_SEQ_LM'] as const) if (family.tasks.includes(t)) return t;
  return 'FEATURE_EXTRACTION';
}

/** The task types model_type's family has a class for (undefined: not a supported model_type). */
export function familyTasks(modelType: unknown): readonly TaskType[] | undefined {
  return typeof modelType === 'string' ? byModelType.get(modelType)?.tasks : undefined;
}

/** Whether model_type is an encoder-only family (its Family entry says so). */
export function isEncoderOnly(modelType: string): boolean {
  return byModelType.get(modelType)?.encoder_only === true;
}

/** sum(numel) over the inventory, each tied parameter once. */
export function countBaseParameters(inventory: ModelInventory): number {
  let total = 0;
  for (const m of inventory.modules) total += countOwnParameters(m);
  return total;
}

/** sum(numel) of a module's own parameters, those tied to another module's left out (counted on their owner). */
export function countOwnParameters(module: ModuleSpec): number {
  let total = 0;
  for (const p of module.params) if (!p.tied_to) total += numel(p.shape);
  return total;
}

export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
