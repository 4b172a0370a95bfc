import type { FastifyInstance } from 'fastify';

/**
 * Graceful shutdown: from now on /readyz and new requests get 503 (so a load balancer drains this
 * replica), while requests already in flight run to completion before the server closes.
 */
export async function shutdown(app: FastifyInstance): Promise<void> {
  app.lifecycle.shuttingDown = true;
  await app.close();
}
