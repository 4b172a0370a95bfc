import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteOptions } from './index.js';
import { problemResponses } from '../../schemas/problem.js';

const HealthSchema = z.object({ status: z.enum(['ok']) });
const ReadySchema = z.object({ status: z.enum(['ready']) });

/** Liveness, readiness and the OpenAPI document itself. */
const metaRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app) => {
  app.get(
    '/healthz',
    {
      // Liveness stays cheap and answers whatever the load: neither pressure nor the rate limit applies.
      config: { pressureHandler: () => undefined, rateLimit: false },
      schema: {
        tags: ['meta'],
        summary: 'Liveness',
        description: 'Answers 200 while the process is alive, even while it is busy or shutting down.',
        response: { 200: HealthSchema },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      config: { rateLimit: false }, // under pressure it does answer 503, so a balancer routes around this replica
      schema: {
        tags: ['meta'],
        summary: 'Readiness',
        description: 'Answers 200 once every plugin is loaded, and 503 from the moment shutdown begins.',
        response: { 200: ReadySchema, ...problemResponses(503) },
      },
    },
    async () => ({ status: 'ready' as const }),
  );

  // The document as served is byte-for-byte the committed openapi/openapi.json.
  app.get('/openapi.json', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('application/json; charset=utf-8').send(serializeOpenApi(app.swagger())),
  );
};

/** The one serialization of the document: the generator writes it, the route serves it. */
export function serializeOpenApi(document: unknown): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

export default metaRoutes;
