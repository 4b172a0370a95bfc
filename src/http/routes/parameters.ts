import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { computeParameters } from '../../peft/accounting/report.js';
import { ParametersRequestSchema, ParametersResponseSchema, type ParametersResponse } from '../../schemas/parameters.js';
import { problemResponses } from '../../schemas/problem.js';
import { ResponseMemo } from '../response-memo.js';
import type { RouteOptions } from './index.js';

/**
 * Answers kept per app: a few KiB each. The per-module table (detail "modules") has a row per module, so
 * those are never kept; nor are bodies over 16 KiB (large pasted configs).
 */
const MEMO_ENTRIES = 1024;
const MEMO_KEY_CHARS = 16 * 1024;

/** POST /v1/parameters: exact trainable / all counts and PEFT's printed line for a real config. */
const parametersRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app) => {
  // The counts are a pure function of the validated body (presets are static data).
  const memo = new ResponseMemo<ParametersResponse>(MEMO_ENTRIES, MEMO_KEY_CHARS);
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
          '413 for a config of more than 200,000 modules or targets too costly to match.',
        body: ParametersRequestSchema,
        response: { 200: ParametersResponseSchema, ...problemResponses(400, 404, 413, 422) },
      },
    },
    async (request) => (request.body.detail === 'modules' ? computeParameters(request.body) : memo.answer(request.body, () => computeParameters(request.body))),
  );
};

export default parametersRoutes;
