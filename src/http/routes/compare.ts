import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { compareChartSpec } from '../../peft/charts/index.js';
import { compareMethods } from '../../peft/sweeps/compare.js';
import { compareCsv } from '../../peft/sweeps/csv.js';
import { compareSeedNotebook } from '../../peft/sweeps/seed-notebook.js';
import { CompareRequestSchema, CompareResponseSchema } from '../../schemas/compare.js';
import { SvgDocumentSchema } from '../../schemas/charts.js';
import { problemResponses } from '../../schemas/problem.js';
import { sendFigure, seedNotebookFigure } from '../figures.js';
import { installPoolSaturatedHandler } from '../plugins/pool-errors.js';
import { resultContent, resultFormat, sendResult } from '../result-format.js';
import type { RouteOptions } from './index.js';

/** POST /v1/compare: PEFT methods side by side on one model and one training setup. */
const compareRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { charts }) => {
  // Its SVG renders on the chart thread, whose full queue is a 503 with Retry-After.
  installPoolSaturatedHandler(app);
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
          'invented columns (performance scores, training speeds) named as invented beside the computed ones. ' +
          'With `parallelism` (the memory route\'s object), each row also gives per_gpu_memory_bytes, per_cpu_memory_bytes and the strategy as it runs. ' +
          '`format: "csv"` or `Accept: text/csv`: one row per method; `format: "svg"` or `Accept: image/svg+xml`: a bar chart per column, a bar per method (rendered on the chart thread; 503 with Retry-After when its queue is past MAX_QUEUE_WAIT_MS); ' +
          '`format: "vega-lite"`: its vega-lite spec with the data inline.',
        body: CompareRequestSchema,
        response: {
          200: {
            description: 'One row per method (JSON), the same as CSV, the chart as SVG, or its vega-lite spec.',
            content: resultContent(CompareResponseSchema),
          },
          ...problemResponses(400, 404, 406, 413, 422, 503),
        },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const format = resultFormat(request, body.format);
      const result = 'preset' in body ? compareSeedNotebook() : compareMethods(body, 'preset' in body.model ? body.model.preset : String(body.model.config.model_type));
      return sendResult(reply, format, result, { csv: compareCsv, chart: compareChartSpec }, charts);
    },
  );

  app.get(
    '/v1/compare/seed-notebook.svg',
    {
      schema: {
        tags: ['sweeps'],
        summary: "The seed notebook's 6-panel figure, every number computed",
        description:
          "The seed notebook's matplotlib figure (2×3) drawn from POST /v1/compare {\"preset\": \"seed-notebook\"} and two sweeps through the sweep engine: " +
          'parameter efficiency (log, labelled with trainable %), LoRA parameters per layer by rank, adapter parameters per layer by bottleneck size ' +
          '(swept as AdapterHub\'s reduction_factor, drawn as d_model / factor), training memory by method (log), FLOP-derived training speed, ' +
          'and inference overhead per token in place of the notebook\'s invented performance scores. It never changes within a version: rendered once per process, ' +
          'sent with a strong ETag (a hash of the bytes; If-None-Match gives 304) and Cache-Control: public, max-age=3600.',
        response: {
          200: { description: 'The figure.', content: { 'image/svg+xml': { schema: SvgDocumentSchema } } },
          304: z.undefined().describe('Not modified: the If-None-Match ETag is the current figure\'s.'),
        },
      },
    },
    async (request, reply) => sendFigure(request, reply, await seedNotebookFigure()),
  );
};

export default compareRoutes;
