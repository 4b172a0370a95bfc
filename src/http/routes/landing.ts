import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { landingPage } from '../pages/landing.js';
import type { RouteOptions } from './index.js';

/** GET /: what the service is, with links to the docs; a page, not an API operation, so hidden from the document. */
const landingRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app) => {
  const html = landingPage([]);
  app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.type('text/html; charset=utf-8').send(html));
};

export default landingRoutes;
