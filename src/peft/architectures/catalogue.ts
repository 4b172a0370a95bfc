/**
 * The preset catalogue behind GET /v1/models: each preset counted under the task /v1/parameters would count
 * its config under when the request names none (resolveTaskType: config.architectures[0]'s class, else the
 * family default), so the listing and the accounting agree.
 */
import type { TaskType } from '../../schemas/model.js';
import { buildInventory, countBaseParameters, countOwnParameters, familyTasks, presetConfig } from './index.js';
import { PRESET_CONFIGS, PRESET_SOURCES } from './presets.data.js';
import { resolveTaskType, type TaskTypeSource } from './task-type.js';

export interface PresetSummary {
  id: string;
  model_type: string;
  task_type: TaskType;
  task_type_source: TaskTypeSource;
  parameter_count: number;
}

let presetSummaries: PresetSummary[] | undefined;

/** Every preset with its model_type, the task it is counted under (and what decided it) and its parameter count (tied weights once). */
export function listPresets(): PresetSummary[] {
  presetSummaries ??= Object.keys(PRESET_CONFIGS)
    .sort()
    .filter((id) => familyTasks(PRESET_CONFIGS[id].model_type) !== undefined)
    .map((id) => {
      const config = presetConfig(id);
      const task = resolveTaskType(config, {});
      const inventory = buildInventory(config, { task_type: task.task_type });
      return { id, model_type: String(config.model_type), task_type: task.task_type, task_type_source: task.source, parameter_count: countBaseParameters(inventory) };
    });
  return presetSummaries.map((p) => ({ ...p }));
}

/** A preset's config and a summary of its inventory (parameters per role and per kind) under `task`, else the task the listing gives it. */
export function presetDetail(id: string, task?: TaskType) {
  const config = presetConfig(id, 'params.name');
  const resolved = resolveTaskType(config, { task_type: task }, 'querystring.task_type');
  const inv = buildInventory(config, { task_type: resolved.task_type });
  const byRole: Record<string, number> = {};
  const byKind: Record<string, number> = {};
  for (const m of inv.modules) {
    const n = countOwnParameters(m);
    byRole[m.role] = (byRole[m.role] ?? 0) + n;
    byKind[m.kind] = (byKind[m.kind] ?? 0) + n;
  }
  return {
    id,
    model_type: String(config.model_type),
    source: PRESET_SOURCES[id],
    config,
    inventory: {
      model_class: inv.model_class ?? String(config.model_type),
      task_type: resolved.task_type,
      task_type_source: resolved.source,
      parameter_count: countBaseParameters(inv),
      module_count: inv.modules.length,
      params_by_role: byRole,
      params_by_kind: byKind,
      dims: inv.dims,
    },
  };
}
