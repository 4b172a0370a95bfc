import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { compareMethods } from '../../peft/sweeps/compare.js';
import { compareCsv } from '../../peft/sweeps/csv.js';
import { compareSeedNotebook } from '../../peft/sweeps/seed-notebook.js';
import { CompareRequestSchema, CompareResponseSchema } from '../../schemas/compare.js';
import { problemResponses } from '../../schemas/problem.js';
import { resultFormat } from '../result-format.js';
import type { RouteOptions } from './index.js';

/** POST /v1/compare: PEFT methods side by side on one model and one training setup. */
const compareRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app) => {
  app.post(
    '/v1/compare',
    {
      schema: {
        tags: ['sweeps'],
        summary: 'Compare fine-tuning methods on one model',
        description:
          'One model, one training setup, a list of methods (full, lora, bottleneck, prefix, prompt, ia3), each with its own adapter_config.json keys. ' +
          'Each row is computed by the parameters, memory and compute estimates (their schemas and functions): trainable parameters and percent, ' +
          'checkpoint bytes, training memory, training FLOPs per token, FLOP-derived speed relative to full fine-tuning, inference overhead. ' +
          '`{"preset": "seed-notebook"}` is the seed notebook\'s setup, with every figure it printed recomputed on the model it counts and its ' +
          'invented columns (performance scores, training speeds) named as invented beside the computed ones. `format: "csv"` or `Accept: text/csv`: one row per method. ' +
          'With `parallelism` (the memory route\'s object), each row also gives per_gpu_memory_bytes, per_cpu_memory_bytes and the strategy as it runs.',
        body: CompareRequestSchema,
        response: {
          200: {
            description: 'One row per method (JSON), or the same as CSV.',
            content: { 'application/json': { schema: CompareResponseSchema }, 'text/csv': { schema: z.string() } },
          },
          ...problemResponses(400, 404, 413, 422),
        },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const result = 'preset' in body ? compareSeedNotebook() : compareMethods(body, 'preset' in body.model ? body.model.preset : String(body.model.config.model_type));
      switch (resultFormat(request, body.format)) {
        case 'csv':
          return reply.type('text/csv; charset=utf-8').send(compareCsv(result));
        case 'json':
          return reply.type('application/json; charset=utf-8').send(result);
      }
    },
  );
};

export default compareRoutes;
