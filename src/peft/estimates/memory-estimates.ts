/** POST /v1/estimates/memory's estimates, built on one module table. */
import { estimateInferenceMemory, type InferenceMemory } from './inference.js';
import { estimateTrainingMemory, type TrainingMemory } from './memory.js';
import { moduleStates } from './modules.js';
import { estimateParallelMemory, type ParallelEstimate } from './parallel-memory.js';
import type { Parallelism } from './parallelism.js';
import type { EstimateModel, TrainingSetup } from './types.js';

/**
 * Training and inference memory for one setup, and with `parallelism` what one GPU and one host hold;
 * the module table (about a third of their cost) is built once for all of them.
 */
export function estimateTrainingAndInferenceMemory(
  model: EstimateModel,
  setup: TrainingSetup,
  parallelism?: Parallelism,
): { training: TrainingMemory; inference: InferenceMemory; parallel?: ParallelEstimate } {
  const states = moduleStates(model.inventory, model.accounting, setup.quantization);
  const training = estimateTrainingMemory(model, setup, states, parallelism);
  const inference = estimateInferenceMemory(model, setup, states);
  if (!parallelism) return { training, inference };
  return { training, inference, parallel: estimateParallelMemory(model, setup, parallelism, states, training) };
}
