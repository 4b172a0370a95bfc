/** The bodies of POST /v1/estimates/memory and /v1/estimates/compute, as pure functions the routes and sweeps share. */
import type { z } from 'zod';
import type { ComputeRequestSchema, MemoryRequestSchema } from '../../schemas/estimates.js';
import { estimateCompute } from './flops.js';
import { DEFAULT_GPUS, fitOnGpus, resolveGpus } from './gpus.js';
import { loadEstimateModel } from './load.js';
import { estimateTrainingAndInferenceMemory } from './memory-estimates.js';

export type MemoryRequest = z.output<typeof MemoryRequestSchema>;
export type ComputeRequest = z.output<typeof ComputeRequestSchema>;
/** The model with its resolved task type, as loadEstimateModel gives it. */
export type LoadedModel = ReturnType<typeof loadEstimateModel>;

/** Training memory with its breakdown, the fit on each GPU, and inference memory. */
export function memoryEstimate(body: MemoryRequest, model: LoadedModel = loadEstimateModel(body)) {
  const gpus = resolveGpus(body.gpus ?? DEFAULT_GPUS.map((name) => ({ name })));
  const { training: memory, inference, parallel } = estimateTrainingAndInferenceMemory(model, body.training, body.parallelism);
  const head = { printed: model.accounting.printed, task_type: model.task.task_type, task_type_source: model.task.source };
  if (parallel) return { ...head, ...memory, ...parallel.memory, gpus: parallel.fit(gpus), inference };
  const perSample = memory.convention === 'accelerate' || memory.convention === 'deepspeed' ? 0 : memory.per_sample_bytes;
  return { ...head, ...memory, gpus: fitOnGpus(gpus, memory.total_bytes, memory.fixed_bytes, perSample), inference };
}

/** Training and inference FLOPs per token. */
export function computeEstimate(body: ComputeRequest, model: LoadedModel = loadEstimateModel(body)) {
  return { printed: model.accounting.printed, task_type: model.task.task_type, task_type_source: model.task.source, ...estimateCompute(model, body.training) };
}
