import underPressure from '@fastify/under-pressure';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppConfig } from '../../config.js';
import { problemBody, sendProblem } from './problem.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** under-pressure reads a route's own handler from its config (its types leave it out); /healthz uses it to stay exempt. */
    pressureHandler?: (request: FastifyRequest, reply: FastifyReply, type: string, value: number | undefined) => Promise<void> | void;
  }
}

/** Seconds a client should wait: pressure is sampled once a second, so it can lift that soon. */
export const PRESSURE_RETRY_AFTER_S = 2;

/** What each measured kind of pressure is called, with the variable that sets its limit. */
const PRESSURE_LIMITS: Record<string, { what: string; unit: string; variable: string; limit: (c: AppConfig) => number }> = {
  eventLoopDelay: { what: 'event-loop delay', unit: 'ms', variable: 'MAX_EVENT_LOOP_DELAY_MS', limit: (c) => c.maxEventLoopDelayMs },
  heapUsedBytes: { what: 'heap in use', unit: 'bytes', variable: 'MAX_HEAP_USED_BYTES', limit: (c) => c.maxHeapUsedBytes },
};

/** Under event-loop lag or heap pressure, every route but /healthz answers 503 problem+json with Retry-After. */
export function installOverloadGuard(app: FastifyInstance, config: AppConfig): void {
  if (config.maxEventLoopDelayMs === 0 && config.maxHeapUsedBytes === 0) return;
  app.register(underPressure, {
    maxEventLoopDelay: config.maxEventLoopDelayMs,
    maxHeapUsedBytes: config.maxHeapUsedBytes,
    pressureHandler: async (request, reply, type, value) => {
      const limit = PRESSURE_LIMITS[type];
      const measured = limit ? `${limit.what} ${Math.round(value ?? 0)} ${limit.unit} is over ${limit.variable}=${limit.limit(config)}` : type;
      reply.header('retry-after', String(PRESSURE_RETRY_AFTER_S));
      sendProblem(reply, problemBody(request, 503, `The service is under pressure (${measured}); retry shortly or on another replica.`));
    },
  });
}
