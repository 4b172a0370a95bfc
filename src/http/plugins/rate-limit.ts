import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { AppConfig } from '../../config.js';

/** Thrown by the limiter; the problem handler turns it into a 429 problem+json (Retry-After is already set). */
export class RateLimitedError extends Error {
  readonly statusCode = 429;
  constructor(detail: string) {
    super(detail);
    this.name = 'RateLimitedError';
  }
}

/**
 * RATE_LIMIT_MAX requests per RATE_LIMIT_WINDOW_MS per client address (request.ip, which honours
 * TRUST_PROXY). Off when RATE_LIMIT_MAX is 0. Routes opt out with `config: { rateLimit: false }`.
 */
export function installRateLimit(app: FastifyInstance, config: AppConfig): void {
  if (config.rateLimitMax === 0) return;
  app.register(rateLimit, {
    max: config.rateLimitMax,
    timeWindow: config.rateLimitWindowMs,
    errorResponseBuilder: (request, context) =>
      new RateLimitedError(
        `Client ${request.ip} is over the rate limit of ${context.max} requests per ${config.rateLimitWindowMs} ms ` +
          `(RATE_LIMIT_MAX, RATE_LIMIT_WINDOW_MS); retry in ${context.after}.`,
      ),
  });
}
