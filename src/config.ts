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
  /** Most grid points one sweep may have. Over it: 413 stating the cap and the count asked for. */
  MAX_SWEEP_POINTS: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
});

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
  maxSweepPoints: number;
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
    maxSweepPoints: e.MAX_SWEEP_POINTS,
  };
}
