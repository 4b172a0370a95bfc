import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { checkSvgSize, MAX_SVG_MARKS, sweepChartSpec } from '../../peft/charts/index.js';
import { requestedPoints } from '../../peft/sweeps/axes.js';
import { runSweep, type AnySweepTarget } from '../../peft/sweeps/engine.js';
import { sweepCsv } from '../../peft/sweeps/csv.js';
import { computeTarget, memoryTarget, parametersTarget } from '../../peft/sweeps/targets.js';
import { problemResponses } from '../../schemas/problem.js';
import { SweepRequestSchema, SweepResponseSchema } from '../../schemas/sweeps.js';
import { screenForwardArrays } from '../forward/screen-arrays.js';
import { forwardSweepTargets } from '../forward/sweep-targets.js';
import { resultContent, resultFormat, sendResult } from '../result-format.js';
import { installPoolSaturatedHandler } from '../plugins/pool-errors.js';
import type { RouteOptions } from './index.js';

/** POST /v1/sweeps: one target route over a grid of up to two axes, returning chosen metrics per point. */
const sweepsRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { config, pool, charts, ledger }) => {
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
          'for the whole sweep (waiting up to MAX_QUEUE_WAIT_MS, then 503). `format: "csv"` or `Accept: text/csv` gives CSV; `format: "svg"` or `Accept: image/svg+xml` the chart ' +
          `(the first axis along x, a line per value of the second axis or per metric, a panel per unit; at most ${MAX_SVG_MARKS.toLocaleString('en')} points × metrics; rendered on the chart thread, 503 with Retry-After when its queue is past MAX_QUEUE_WAIT_MS), ` +
          '`format: "vega-lite"` its vega-lite spec with the data inline.',
        body: SweepRequestSchema,
        response: {
          200: {
            description: 'The metrics at every point (JSON); one CSV row per point (axis paths, then metrics); the chart as SVG; or its vega-lite spec.',
            content: resultContent(SweepResponseSchema),
          },
          ...problemResponses(400, 404, 406, 413, 422, 503),
        },
      },
    },
    async (request, reply) => {
      const { target, base, axes, metrics } = request.body;
      const format = resultFormat(request, request.body.format);
      if (format === 'svg') checkSvgSize(requestedPoints(axes), metrics.length);
      // A forward sweep's largest point stays reserved in MAX_INFLIGHT_BYTES until the answer is sent.
      const result = await runSweep(targets[target], { base, axes, metrics }, limits, (bytes) => ledger.holdForReply(reply, bytes));
      return sendResult(reply, format, result, { csv: sweepCsv, chart: sweepChartSpec }, charts);
    },
  );
};

export default sweepsRoutes;
