import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { LANDING_SWEEP, LANDING_SWEEP_MODEL, landingSweepSvg, once } from '../figures.js';
import { landingPage } from '../pages/landing.js';
import type { RouteOptions } from './index.js';

/** The page, built on the first visit (its rank sweep runs through the sweep engine) and kept. */
const page = once(async () =>
  landingPage([
    {
      src: '/v1/compare/seed-notebook.svg',
      alt: "The seed notebook's six panels: parameter efficiency, LoRA parameters by rank, adapter parameters by bottleneck, training memory, FLOP-derived training speed, inference overhead",
      caption:
        "The seed notebook's 2×3 figure with every number computed (GET /v1/compare/seed-notebook.svg): its invented performance scores and training speeds give way to the inference overhead and the FLOP-derived speed.",
    },
    {
      svg: await landingSweepSvg(),
      caption: `LoRA on ${LANDING_SWEEP_MODEL} (q_proj, v_proj), rank 1 to 256: trainable parameters and the bf16 adapter checkpoint, computed by the sweep engine (POST /v1/sweeps).`,
      request: { path: '/v1/sweeps', body: { ...LANDING_SWEEP, format: 'svg' } },
    },
  ]),
);

/** GET /: what the service is, its figures, links to the docs; a page, not an API operation, so hidden from the document. */
const landingRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app) => {
  app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.type('text/html; charset=utf-8').send(await page()));
  // No icon: a browser opening an SVG route (which cannot say so, as the page's <link rel="icon"> does) gets a 204, not a 404 in its console.
  app.get('/favicon.ico', { schema: { hide: true } }, async (_request, reply) => reply.code(204).header('cache-control', 'public, max-age=86400').send());
};

export default landingRoutes;
