import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { computeEstimate, memoryEstimate } from '../../peft/estimates/responses.js';
import { ComputeRequestSchema, ComputeResponseSchema, MemoryRequestSchema, MemoryResponseSchema } from '../../schemas/estimates.js';
import { problemResponses } from '../../schemas/problem.js';
import type { RouteOptions } from './index.js';

/** POST /v1/estimates/memory and /v1/estimates/compute: training and inference memory, FLOPs per token. */
const estimatesRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app) => {
  app.post(
    '/v1/estimates/memory',
    {
      schema: {
        tags: ['estimates'],
        summary: 'Estimate training and inference memory',
        description:
          'Peak training memory as a breakdown (weights, gradients, optimizer states, master weights, activations counted tensor by tensor per block, logits, overhead), each with its formula, under a named convention; per GPU whether it fits and the largest micro-batch that does; inference memory (weights + KV cache at seq_len, GQA-aware). With `parallelism` (DDP, ZeRO 1/2/3, FSDP FULL_SHARD / SHARD_GRAD_OP, CPU offload): what one GPU and one host hold (per_gpu, per_cpu), the unit ZeRO-3 / FSDP gathers, and per GPU type the fewest GPUs that fit; the deepspeed convention reproduces the DeepSpeed estimators. Validated against LitGPT, LoRA-paper, QLoRA-paper and PEFT DeepSpeed/FSDP-guide measurements (docs/validation.md).',
        body: MemoryRequestSchema,
        response: { 200: MemoryResponseSchema, ...problemResponses(400, 404, 413, 422) },
      },
    },
    async (request) => memoryEstimate(request.body),
  );

  app.post(
    '/v1/estimates/compute',
    {
      schema: {
        tags: ['estimates'],
        summary: 'Estimate training and inference FLOPs per token',
        description:
          'Training FLOPs per token (6 per trainable weight, 4 per frozen weight gradients flow through, 2 where they do not, attention 12·h·s per block, checkpointing adds a forward pass), the same for full fine-tuning and their FLOP ratio, and inference FLOPs with the per-method overhead (merged LoRA 0, unmerged 2·r·(in+out) per adapted module, adapters as extra layers, prefix tuning as attention over p extra keys, prompt tuning as p extra positions through the whole model).',
        body: ComputeRequestSchema,
        response: { 200: ComputeResponseSchema, ...problemResponses(400, 404, 413, 422) },
      },
    },
    async (request) => computeEstimate(request.body),
  );
};

export default estimatesRoutes;
