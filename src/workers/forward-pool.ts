import { Piscina } from 'piscina';
import { DomainError } from '../errors.js';
import type { ForwardPlan, ForwardResult } from '../peft/forward/types.js';
import type { ForwardTaskOutcome } from './forward-task.js';

/**
 * The task file next to this one: forward-task.ts when running from source (tests, tsx; worker
 * threads inherit the TypeScript loader), forward-task.js when running from dist/.
 */
export function forwardTaskFile(moduleUrl: string = import.meta.url): string {
  const ext = moduleUrl.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./forward-task${ext}`, moduleUrl).href;
}

/** Plain number arrays cross threads element by element; Float64Array copies as one block (and is lossless). */
function packGiven(plan: ForwardPlan<unknown>): ForwardPlan<unknown> {
  const given = Object.fromEntries(
    Object.entries(plan.given).map(([name, t]) => [name, { shape: t.shape, data: Float64Array.from(t.data) }]),
  );
  return { ...plan, given };
}

/** Thrown when the queued work would keep a new pass waiting too long: the edge answers 503 with Retry-After. */
export class PoolSaturatedError extends Error {
  constructor(
    readonly expectedWaitMs: number,
    readonly maxWaitMs: number,
  ) {
    super(`The worker pool is saturated: a pass would wait about ${Math.round(expectedWaitMs)} ms, over the limit of ${maxWaitMs} ms; retry shortly.`);
    this.name = 'PoolSaturatedError';
  }

  /** Seconds until the queued work is expected to drain (at least 1). */
  get retryAfterSeconds(): number {
    return Math.max(1, Math.ceil(this.expectedWaitMs / 1000));
  }
}

/**
 * A lazily started piscina pool: no threads exist until the first heavy pass. Admission is here and
 * only here: a pass is queued while the expected milliseconds of admitted, unfinished work per thread
 * (plus its own) stay under maxWaitMs, so fifty clients of a sub-millisecond pass all queue, while a
 * backlog of seconds of work is refused.
 */
export class ForwardPool {
  private pool: Piscina | undefined;
  private pendingMs = 0;

  constructor(
    private readonly size: number,
    private readonly maxWaitMs: number,
  ) {}

  /** Expected wait of a new pass, in ms: the admitted work spread over the threads. */
  get expectedWaitMs(): number {
    return this.pendingMs / this.size;
  }

  async run(plan: ForwardPlan<unknown>, expectedMs: number): Promise<ForwardResult> {
    const wait = (this.pendingMs + expectedMs) / this.size;
    // An idle pool admits any pass the budget allowed: the limit is on queueing, not on one pass's length.
    if (this.pendingMs > 0 && wait > this.maxWaitMs) throw new PoolSaturatedError(wait, this.maxWaitMs);
    this.pool ??= new Piscina({ filename: forwardTaskFile(), minThreads: 0, maxThreads: this.size, idleTimeout: 30_000 });
    this.pendingMs += expectedMs;
    let outcome: ForwardTaskOutcome;
    try {
      outcome = (await this.pool.run(packGiven(plan))) as ForwardTaskOutcome;
    } finally {
      this.pendingMs -= expectedMs;
    }
    if (outcome.ok) return outcome.result;
    const e = outcome.error;
    throw new DomainError(e.status, e.title, e.detail, e.errors, e.extra);
  }

  get started(): boolean {
    return this.pool !== undefined;
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.destroy();
  }
}
