export { estimateTrainingMemory, type TrainingMemory } from './memory.js';
export { estimateInferenceMemory, type InferenceMemory } from './inference.js';
export { estimateTrainingAndInferenceMemory } from './memory-estimates.js';
export { estimateCompute, type ComputeEstimate } from './flops.js';
export { resolveGpus, fitOnGpus, maxMicroBatch, MAX_MICRO_BATCH, GPU_CATALOGUE, DEFAULT_GPUS, type GpuFit, type GpuSpec } from './gpus.js';
export type * from './types.js';
export { estimateParallelMemory, fewestGpus, type ParallelMemory, type ParallelGpuFit, type ParallelEstimate } from './parallel-memory.js';
export { checkParallelism, STRATEGIES, MAX_TOTAL_GPUS, DEEPSPEED_REDUCE_BUCKET, DEEPSPEED_PREFETCH_BUCKET, type Parallelism, type Strategy } from './parallelism.js';
