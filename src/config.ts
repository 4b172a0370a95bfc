import { availableParallelism } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { z } from 'zod';
import { FAST_PATH_MIN_FLOPS } from './peft/forward/run.js';

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
  /** Most FLOPs one forward pass may take: 2e10 admits LoRA at n=d=2048 (17.4 GFLOP, ~0.3 s on ONNX Runtime float64 here). Over it: 413. */
  MAX_REQUEST_FLOPS: z.coerce.number().positive().default(2e10),
  /** Most bytes one forward pass may hold (typed tensors plus the JSON it returns). Over it: 413. */
  MAX_REQUEST_BYTES: z.coerce.number().int().positive().default(256 * 1024 * 1024),
  /** Passes expected to take longer than this (pricing.ts: FLOPs at the engine's rate plus seeded draws) run in the worker pool. */
  WORKER_THRESHOLD_MS: z.coerce.number().min(0).default(3),
  /** Worker threads for heavy passes; 0 (the default) means one per available core. */
  WORKER_POOL_SIZE: z.coerce.number().int().min(0).max(64).default(0),
  /** The pool admits a pass while the expected wait of the queued work per thread stays under this; beyond it, 503 with Retry-After. */
  MAX_QUEUE_WAIT_MS: z.coerce.number().positive().default(2000),
  /** Passes of at least this many FLOPs run on ONNX Runtime; smaller ones on the TypeScript kernels (the crossover in npm run bench). */
  FAST_PATH_MIN_FLOPS: z.coerce.number().min(0).default(FAST_PATH_MIN_FLOPS),
  /** Longest a client may take to send a whole request (headers and body); past it, 408 and the connection closes. */
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1).max(600_000).default(30_000),
  /** Requests per client address per window; 0 (the default) leaves rate limiting off. */
  RATE_LIMIT_MAX: z.coerce.number().int().min(0).default(0),
  RATE_LIMIT_WINDOW_MS: z.coerce.number().int().min(1).default(60_000),
  /** Mean event-loop delay over a second above which requests get 503; 0 turns the check off. */
  MAX_EVENT_LOOP_DELAY_MS: z.coerce.number().min(0).default(1000),
  /** V8 heap in use above which requests get 503; 0 turns the check off. Default: 90 % of V8's heap limit. */
  MAX_HEAP_USED_BYTES: z.coerce.number().int().min(0).optional(),
  /** Bytes all forward passes and forward sweeps in flight may hold together (their priced bytes); over it a request waits up to MAX_QUEUE_WAIT_MS, then 503. Default: half of V8's heap limit. */
  MAX_INFLIGHT_BYTES: z.coerce.number().int().min(1).optional(),
  /** Answers of pure routes (parameters, forward passes) remembered per app, by count and by bytes; 0 in either turns the memo off. */
  RESPONSE_MEMO_ENTRIES: z.coerce.number().int().min(0).default(4096),
  RESPONSE_MEMO_BYTES: z.coerce.number().int().min(0).default(64 * 1024 * 1024),
  /** Most grid points one sweep may have. Over it: 413 stating the cap and the count asked for. */
  MAX_SWEEP_POINTS: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
});

/** Heap pressure starts before V8 runs out: at 90 % of its limit the process still has room to answer 503s. */
export const defaultMaxHeapUsedBytes = (): number => Math.floor(0.9 * getHeapStatistics().heap_size_limit);

/**
 * Room for requests in flight: half the heap limit, so that what they hold (JSON arrays and text live on
 * the heap) plus the process's own ~150 MiB under load and the garbage between collections stay below
 * the heap guard at 90 %.
 */
export const defaultMaxInflightBytes = (): number => Math.floor(0.5 * getHeapStatistics().heap_size_limit);

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
  workerThresholdMs: number;
  workerPoolSize: number;
  maxQueueWaitMs: number;
  fastPathMinFlops: number;
  requestTimeoutMs: number;
  /** 0: off. */
  rateLimitMax: number;
  rateLimitWindowMs: number;
  /** 0: off. */
  maxEventLoopDelayMs: number;
  /** 0: off. */
  maxHeapUsedBytes: number;
  maxInflightBytes: number;
  maxSweepPoints: number;
  /** 0: the response memo is off. */
  responseMemoEntries: number;
  /** 0: the response memo is off. */
  responseMemoBytes: number;
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
    workerThresholdMs: e.WORKER_THRESHOLD_MS,
    workerPoolSize: e.WORKER_POOL_SIZE || availableParallelism(),
    maxQueueWaitMs: e.MAX_QUEUE_WAIT_MS,
    fastPathMinFlops: e.FAST_PATH_MIN_FLOPS,
    requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
    rateLimitMax: e.RATE_LIMIT_MAX,
    rateLimitWindowMs: e.RATE_LIMIT_WINDOW_MS,
    maxEventLoopDelayMs: e.MAX_EVENT_LOOP_DELAY_MS,
    maxHeapUsedBytes: e.MAX_HEAP_USED_BYTES ?? defaultMaxHeapUsedBytes(),
    maxInflightBytes: e.MAX_INFLIGHT_BYTES ?? defaultMaxInflightBytes(),
    maxSweepPoints: e.MAX_SWEEP_POINTS,
    responseMemoEntries: e.RESPONSE_MEMO_ENTRIES,
    responseMemoBytes: e.RESPONSE_MEMO_BYTES,
  };
}
