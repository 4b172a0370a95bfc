import { getHeapStatistics } from 'node:v8';
import { z } from 'zod';

/** Environment → typed config. Parsed once at start-up and passed down; nothing else reads process.env. */
const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Largest accepted request body. Over it: 413. */
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(8 * 1024 * 1024),
  /** Comma-separated allowed origins. Empty (the default) leaves CORS off. "*" allows any origin. */
  CORS_ORIGINS: z.string().default(''),
  /** How long in-flight requests may take to finish after SIGTERM before the process exits anyway. */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  /** Trust X-Forwarded-* from a load balancer (the scaled compose profile sets it). */
  TRUST_PROXY: z.stringbool().default(false),
  /** Most FLOPs one forward pass may take (about 10 s of one core here). Over it: 413. */
  MAX_REQUEST_FLOPS: z.coerce.number().positive().default(1e10),
  /** Most bytes one forward pass may hold (typed tensors plus the JSON it returns). Over it: 413. */
  MAX_REQUEST_BYTES: z.coerce.number().int().positive().default(256 * 1024 * 1024),
  /** Passes costing more FLOPs than this run in the worker pool, keeping the event loop free. */
  WORKER_THRESHOLD_FLOPS: z.coerce.number().min(0).default(5e7),
  /** Worker threads for heavy passes; one leaves the other core of a 2-core box to the event loop. */
  WORKER_POOL_SIZE: z.coerce.number().int().min(1).max(64).default(1),
  /** Longest a client may take to send a whole request (headers and body); past it, 408 and the connection closes. */
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1).max(600_000).default(30_000),
  /** Requests per client address per window; 0 (the default) leaves rate limiting off. */
  RATE_LIMIT_MAX: z.coerce.number().int().min(0).default(0),
  RATE_LIMIT_WINDOW_MS: z.coerce.number().int().min(1).default(60_000),
  /** Mean event-loop delay over a second above which requests get 503; 0 turns the check off. */
  MAX_EVENT_LOOP_DELAY_MS: z.coerce.number().min(0).default(1000),
  /** V8 heap in use above which requests get 503; 0 turns the check off. Default: 90 % of V8's heap limit. */
  MAX_HEAP_USED_BYTES: z.coerce.number().int().min(0).optional(),
});

/** Heap pressure starts before V8 runs out: at 90 % of its limit the process still has room to answer 503s. */
export const defaultMaxHeapUsedBytes = (): number => Math.floor(0.9 * getHeapStatistics().heap_size_limit);

export interface AppConfig {
  port: number;
  host: string;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  bodyLimitBytes: number;
  corsOrigins: string[];
  shutdownGraceMs: number;
  trustProxy: boolean;
  maxRequestFlops: number;
  maxRequestBytes: number;
  workerThresholdFlops: number;
  workerPoolSize: number;
  requestTimeoutMs: number;
  /** 0: off. */
  rateLimitMax: number;
  rateLimitWindowMs: number;
  /** 0: off. */
  maxEventLoopDelayMs: number;
  /** 0: off. */
  maxHeapUsedBytes: number;
}

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid environment:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message} (got ${JSON.stringify(env[String(issue.path[0])])})`),
    );
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    corsOrigins: e.CORS_ORIGINS.split(',').map((s) => s.trim()).filter(Boolean),
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    trustProxy: e.TRUST_PROXY,
    maxRequestFlops: e.MAX_REQUEST_FLOPS,
    maxRequestBytes: e.MAX_REQUEST_BYTES,
    workerThresholdFlops: e.WORKER_THRESHOLD_FLOPS,
    workerPoolSize: e.WORKER_POOL_SIZE,
    requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
    rateLimitMax: e.RATE_LIMIT_MAX,
    rateLimitWindowMs: e.RATE_LIMIT_WINDOW_MS,
    maxEventLoopDelayMs: e.MAX_EVENT_LOOP_DELAY_MS,
    maxHeapUsedBytes: e.MAX_HEAP_USED_BYTES ?? defaultMaxHeapUsedBytes(),
  };
}
