/** POST /v1/estimates/memory's two estimates, built on one module table. */
import { estimateInferenceMemory, type InferenceMemory } from './inference.js';
import { estimateTrainingMemory, type TrainingMemory } from './memory.js';
import { moduleStates } from './modules.js';
import type { EstimateModel, TrainingSetup } from './types.js';

/** Training and inference memory for one setup; the module table (about a third of their cost) is built once for both. */
export function estimateTrainingAndInferenceMemory(model: EstimateModel, setup: TrainingSetup): { training: TrainingMemory; inference: InferenceMemory } {
  const states = moduleStates(model.inventory, model.accounting, setup.quantization);
  return { training: estimateTrainingMemory(model, setup, states), inference: estimateInferenceMemory(model, setup, states) };
}
