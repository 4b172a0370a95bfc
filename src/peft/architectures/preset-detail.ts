import type { TaskType } from '../../schemas/model.js';
import { buildInventory, countBaseParameters, countOwnParameters, defaultTaskType, presetConfig } from './index.js';
import { PRESET_SOURCES } from './presets.data.js';

/** A preset's config and a summary of its inventory (parameters per role and per kind). */
export function presetDetail(id: string, task?: TaskType) {
  const config = presetConfig(id, 'params.name');
  const task_type = task ?? defaultTaskType(config);
  const inv = buildInventory(config, { task_type });
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
      task_type,
      parameter_count: countBaseParameters(inv),
      module_count: inv.modules.length,
      params_by_role: byRole,
      params_by_kind: byKind,
      dims: inv.dims,
    },
  };
}
