/** The bodies of POST /v1/estimates/memory and /v1/estimates/compute, as pure functions the routes and sweeps share. */
import type { z } from 'zod';
import type { ComputeRequestSchema, MemoryRequestSchema } from '../../schemas/estimates.js';
import { estimateCompute } from './flops.js';
import { DEFAULT_GPUS, fitOnGpus, resolveGpus } from './gpus.js';
import { loadEstimateModel } from './load.js';
import { estimateTrainingAndInferenceMemory } from './memory-estimates.js';
import type { EstimateModel } from './types.js';

export type MemoryRequest = z.output<typeof MemoryRequestSchema>;
export type ComputeRequest = z.output<typeof ComputeRequestSchema>;

/** Training memory with its breakdown, the fit on each GPU, and inference memory. */
export function memoryEstimate(body: MemoryRequest, model: EstimateModel = loadEstimateModel(body)) {
  const gpus = resolveGpus(body.gpus ?? DEFAULT_GPUS.map((name) => ({ name })));
  const { training: memory, inference } = estimateTrainingAndInferenceMemory(model, body.training);
  const perSample = memory.convention === 'accelerate' ? 0 : memory.per_sample_bytes;
  return { printed: model.accounting.printed, ...memory, gpus: fitOnGpus(gpus, memory.total_bytes, memory.fixed_bytes, perSample), inference };
}

/** Training and inference FLOPs per token. */
export function computeEstimate(body: ComputeRequest, model: EstimateModel = loadEstimateModel(body)) {
  return { printed: model.accounting.printed, ...estimateCompute(model, body.training) };
}
