export { estimateTrainingMemory, type TrainingMemory } from './memory.js';
export { estimateInferenceMemory, type InferenceMemory } from './inference.js';
export { estimateTrainingAndInferenceMemory } from './memory-estimates.js';
export { estimateCompute, type ComputeEstimate } from './flops.js';
export { resolveGpus, fitOnGpus, maxMicroBatch, MAX_MICRO_BATCH, GPU_CATALOGUE, DEFAULT_GPUS, type GpuFit, type GpuSpec } from './gpus.js';
export type * from './types.js';
