import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { listPresets } from '../../peft/architectures/index.js';
import { presetDetail } from '../../peft/architectures/preset-detail.js';
import { ModelDetailSchema, ModelParamsSchema, ModelQuerySchema, ModelsResponseSchema } from '../../schemas/models.js';
import { problemResponses } from '../../schemas/problem.js';
import type { RouteOptions } from './index.js';

/** GET /v1/models and GET /v1/models/{org}/{name}: the presets (real Hub config.json files). */
const modelsRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app) => {
  app.get(
    '/v1/models',
    {
      schema: {
        tags: ['models'],
        summary: 'List the model presets',
        description: 'Each preset with its id (the Hub repo id), model_type, and parameter count (sum of numel, tied weights once).',
        response: { 200: ModelsResponseSchema },
      },
    },
    async () => ({ models: listPresets() }),
  );

  app.get(
    '/v1/models/:org/:name',
    {
      schema: {
        tags: ['models'],
        summary: 'One preset: its config and inventory summary',
        description:
          'Preset ids contain a slash (`meta-llama/Llama-2-7b-hf`), so the id is the two path segments `{org}/{name}`: ' +
          '`GET /v1/models/meta-llama/Llama-2-7b-hf`. Returns the config.json (as served by the Hub, or written from published dimensions: `source` says which) and a summary of the module ' +
          'inventory (parameters per role and kind, architecture dims). 404 for an unknown preset.',
        params: ModelParamsSchema,
        querystring: ModelQuerySchema,
        response: { 200: ModelDetailSchema, ...problemResponses(400, 404, 422) },
      },
    },
    async (request) => presetDetail(`${request.params.org}/${request.params.name}`, request.query.task_type),
  );
};

export default modelsRoutes;
