import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { computeParameters } from '../../peft/accounting/report.js';
import { ParametersRequestSchema, ParametersResponseSchema } from '../../schemas/parameters.js';
import { problemResponses } from '../../schemas/problem.js';
import { installMemoHits, sendMemoized } from '../memo-reply.js';
import type { RouteOptions } from './index.js';

/** POST /v1/parameters: exact trainable / all counts and PEFT's printed line for a real config. */
const parametersRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { memo }) => {
  // The counts are a pure function of the validated body (presets are static data): answers are memoized.
  installMemoHits(app, memo);
  app.post(
    '/v1/parameters',
    {
      schema: {
        tags: ['parameters'],
        summary: 'Count parameters as PEFT prints them',
        description:
          'Builds the named module inventory of the transformers class for `task_type` (absent: the adapter_config\'s task_type, then config.architectures[0], then the family default; `task_type_source` says which decided) from an HF config.json (or a preset), ' +
          'applies one or more PEFT adapter_config.json objects (LORA, IA3, LN_TUNING, PREFIX_TUNING, PROMPT_TUNING, P_TUNING, ' +
          'and BOTTLENECK with AdapterHub counting) and returns the counts, the exact `print_trainable_parameters()` line of ' +
          'PEFT v0.20, and the adapter checkpoint size. Without `peft`: full fine-tuning. `detail: "modules"` adds the per-module table. ' +
          '422 for an unknown model_type, a task the family has no class for, a top-level task_type that disagrees with the adapter\'s, a missing config field, targets that match nothing, ' +
          'an unsupported peft_type, a bad r or a regex target that could backtrack catastrophically; 404 for an unknown preset; ' +
          '413 for a config of more than 200,000 modules or targets too costly to match. ' +
          'A repeated body is answered from the response memo (header x-memo: hit); Cache-Control: no-cache recomputes it.',
        body: ParametersRequestSchema,
        response: { 200: ParametersResponseSchema, ...problemResponses(400, 404, 413, 422) },
      },
    },
    async (request, reply) => sendMemoized(request, reply, memo, () => computeParameters(request.body), false),
  );
};

export default parametersRoutes;
