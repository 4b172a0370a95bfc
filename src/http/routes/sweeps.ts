import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { runSweep, type AnySweepTarget } from '../../peft/sweeps/engine.js';
import { sweepCsv } from '../../peft/sweeps/csv.js';
import { computeTarget, memoryTarget, parametersTarget } from '../../peft/sweeps/targets.js';
import { problemResponses } from '../../schemas/problem.js';
import { SweepRequestSchema, SweepResponseSchema } from '../../schemas/sweeps.js';
import { screenForwardArrays } from '../forward/screen-arrays.js';
import { forwardSweepTargets } from '../forward/sweep-targets.js';
import { resultFormat } from '../result-format.js';
import { installPoolSaturatedHandler } from './forward.js';
import type { RouteOptions } from './index.js';

/** POST /v1/sweeps: one target route over a grid of up to two axes, returning chosen metrics per point. */
const sweepsRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { config, pool, ledger }) => {
  // Forward points run as the forward routes run them: inline when light, else on the forward routes' (lazily started) pool.
  installPoolSaturatedHandler(app);
  app.addHook('preValidation', async (request) => {
    const base = (request.body as { base?: unknown } | undefined)?.base;
    screenForwardArrays(base, 'body.base');
  });
  const targets: Record<string, AnySweepTarget> = {
    parameters: parametersTarget,
    memory: memoryTarget,
    compute: computeTarget,
    ...forwardSweepTargets(config, pool),
  };
  const limits = { maxPoints: config.maxSweepPoints, maxFlops: config.maxRequestFlops, maxBytes: config.maxRequestBytes };

  app.post(
    '/v1/sweeps',
    {
      schema: {
        tags: ['sweeps'],
        summary: 'Sweep a route over one or two axes',
        description:
          'Runs the target route (parameters, estimates/memory, estimates/compute, forward/<method>) at every point of a grid: ' +
          '`base` is a valid body for that route and each axis sets one dotted path in it, from a list of values or from/to/steps ' +
          '(linear or log; integer fields get integers, de-duplicated, as `axes` reports). Every point is validated by the route\'s own ' +
          'schema and computed by its own code; a bad point fails the whole sweep with a 422 naming `points[i]`, its axis values and the field. ' +
          '`metrics` are dotted paths to numbers in the route\'s response (an unknown one is a 422 listing the available ones); `units` gives each one\'s unit. ' +
          'The model inventory (and the accounting, when peft is fixed) is built once when no axis touches it. ' +
          'More than MAX_SWEEP_POINTS points is a 413 stating the cap and the count. Forward sweeps return summaries only and ' +
          'MAX_REQUEST_FLOPS applies to the sum over all points, checked before any runs; the largest point\'s bytes are reserved in MAX_INFLIGHT_BYTES ' +
          'for the whole sweep (waiting up to MAX_QUEUE_WAIT_MS, then 503). `format: "csv"` or `Accept: text/csv` gives CSV.',
        body: SweepRequestSchema,
        response: {
          200: {
            description: 'The metrics at every point (JSON), or one CSV row per point: axis paths, then metrics.',
            content: { 'application/json': { schema: SweepResponseSchema }, 'text/csv': { schema: z.string() } },
          },
          ...problemResponses(400, 404, 413, 422, 503),
        },
      },
    },
    async (request, reply) => {
      const { target, base, axes, metrics, format } = request.body;
      // A forward sweep's largest point stays reserved in MAX_INFLIGHT_BYTES until the answer is sent.
      const result = await runSweep(targets[target], { base, axes, metrics }, limits, (bytes) => ledger.holdForReply(reply, bytes));
      switch (resultFormat(request, format)) {
        case 'csv':
          return reply.type('text/csv; charset=utf-8').send(sweepCsv(result));
        case 'json':
          return reply.type('application/json; charset=utf-8').send(result);
      }
    },
  );
};

export default sweepsRoutes;
