import type { ArchitectureDims, ModelInventory, ModuleSpec, PromptLearningDims } from './types.js';

/** Assembles a ModelInventory; dims not given take dense-model values. */
export function inventory(
  modules: ModuleSpec[],
  dims: Omit<ArchitectureDims, 'num_encoder_layers' | 'num_experts' | 'num_experts_per_token' | 'is_encoder_decoder'> & Partial<ArchitectureDims>,
  task_type: string,
  model_class: string,
  prompt_learning: PromptLearningDims,
): ModelInventory {
  return {
    dims: { num_encoder_layers: 0, num_experts: 1, num_experts_per_token: 1, is_encoder_decoder: false, ...dims },
    modules,
    task_type,
    model_class,
    prompt_learning,
  };
}
