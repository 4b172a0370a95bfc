import type { FastifyError, FastifyInstance } from 'fastify';
import { PoolClosingError, PoolSaturatedError } from '../../workers/worker-pool.js';
import { InflightBudgetError } from '../inflight-ledger.js';
import { problemBody, sendProblem } from './problem.js';

/**
 * For the routes that run work on a worker pool (forward passes, sweeps, charts): a full pool, one
 * closing for shutdown, or no room in MAX_INFLIGHT_BYTES within the wait is a 503 with Retry-After;
 * every other error goes on to the app's problem+json handler.
 */
export function installPoolSaturatedHandler(app: FastifyInstance): void {
  app.setErrorHandler<FastifyError>((error, request, reply) => {
    if (error instanceof PoolClosingError) reply.header('retry-after', '1');
    else if (error instanceof PoolSaturatedError || error instanceof InflightBudgetError) reply.header('retry-after', String(error.retryAfterSeconds));
    else throw error; // the app's problem+json handler takes it
    return sendProblem(reply, problemBody(request, 503, error.message));
  });
}
