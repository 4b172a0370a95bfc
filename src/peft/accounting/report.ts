import type { ParametersRequest, ParametersResponse } from '../../schemas/parameters.js';
import { buildInventory, resolveModelConfig, type ModelInventory } from '../architectures/index.js';
import { resolveTaskType, type ResolvedTaskType } from '../architectures/task-type.js';
import { countParameters } from './index.js';

const CONVENTIONS = {
  base: 'Counts follow PEFT v0.20 print_trainable_parameters(): sum of numel of every parameter of the wrapped model, tied weights once, buffers never.',
  task: 'precedence: the top-level task_type, then the adapter_config\'s task_type, then config.architectures[0], then the family default.',
  full: 'No peft config: full fine-tuning, every parameter the model does not itself freeze is trainable; checkpoint = those parameters.',
  stacked: 'Stacked adapters are all active and trainable, each applied to the base model\'s module names (PEFT would train only the active one).',
  bottleneck: 'BOTTLENECK follows AdapterHub counting (adapters library); its task heads stay trainable in place instead of being copied.',
  checkpoint: 'adapter_checkpoint_bytes counts tensor payload only (4 or 2 bytes per parameter); prompt methods save their encoded prompt, not the encoder.',
  fourBit: '4-bit: PEFT multiplies each packed Params4bit numel by 2, so an odd-sized weight counts one extra parameter in "all".',
  layers:
    'layers_to_transform reads the layer index from the first ".<name>.<n>." of a module name (PEFT #3318; older releases took the last, i.e. the MoE expert or T5 sublayer index). ' +
    'Target lists of 20+ entries, all-linear included, are first condensed to minimal suffixes as PEFT does, so the filter applies to them.',
  regex:
    'A target_modules string is a Python regex matched with re.fullmatch, run by the JS engine; patterns that could backtrack catastrophically are refused (422).',
};

/** The task and inventory POST /v1/parameters counts over (the model, task_type, num_labels and the adapters' task_type decide them). */
export interface ParametersBase {
  task: ResolvedTaskType;
  inventory: ModelInventory;
}

export function parametersBase(request: ParametersRequest): ParametersBase {
  const config = resolveModelConfig(request.model);
  const task = resolveTaskType(config, request);
  return { task, inventory: buildInventory(config, { task_type: task.task_type, num_labels: request.num_labels }) };
}

/** POST /v1/parameters, as a pure function: resolve the model, build its inventory (or take the base a sweep built once), count. */
export function computeParameters(request: ParametersRequest, { task, inventory }: ParametersBase = parametersBase(request)): ParametersResponse {
  const result = countParameters(inventory, request.peft, { task_type: task.task_type, quantization: request.quantization });
  const configs = request.peft === undefined ? [] : Array.isArray(request.peft) ? request.peft : [request.peft];
  const conventions = [CONVENTIONS.base, `${task.reason}; ${CONVENTIONS.task}`, CONVENTIONS.checkpoint];
  if (configs.length === 0) conventions.push(CONVENTIONS.full);
  if (configs.length > 1) conventions.push(CONVENTIONS.stacked);
  if (configs.some((c) => String(c.peft_type).toUpperCase() === 'BOTTLENECK')) conventions.push(CONVENTIONS.bottleneck);
  if (request.quantization === '4bit') conventions.push(CONVENTIONS.fourBit);
  const has = (key: string) => configs.some((c) => (c as Record<string, unknown>)[key] !== undefined && (c as Record<string, unknown>)[key] !== null);
  if (has('layers_to_transform')) conventions.push(CONVENTIONS.layers);
  if (configs.some((c) => typeof c.target_modules === 'string' && c.target_modules.toLowerCase() !== 'all-linear')) conventions.push(CONVENTIONS.regex);
  const checkpoint = result.checkpoint_params ?? 0;
  return {
    model_type: inventory.dims.model_type,
    model_class: inventory.model_class ?? inventory.dims.model_type,
    task_type: task.task_type,
    task_type_source: task.source,
    quantization: request.quantization,
    trainable_params: result.trainable_params,
    all_params: result.all_params,
    trainable_percent: result.trainable_percent,
    printed: result.printed,
    base_params: result.base_params,
    added_params: result.added_params,
    virtual_tokens: result.virtual_tokens,
    checkpoint_params: checkpoint,
    adapter_checkpoint_bytes: { fp32: 4 * checkpoint, bf16: 2 * checkpoint },
    adapters: result.adapters ?? [],
    warnings: result.warnings ?? [],
    conventions,
    ...(request.detail === 'modules' ? { modules: result.modules } : {}),
  };
}
