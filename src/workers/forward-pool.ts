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

/** Heavy passes waiting per worker thread; beyond that the service is saturated and says so (503). */
export const QUEUED_PASSES_PER_THREAD = 8;

/** Thrown when every worker is busy and the queue is full: the edge answers 503 with Retry-After. */
export class PoolSaturatedError extends Error {
  constructor(readonly queued: number) {
    super(`All ${queued} queue slots for heavy passes are taken; retry shortly.`);
    this.name = 'PoolSaturatedError';
  }
}

/** A lazily started piscina pool: no threads exist until the first heavy pass. */
export class ForwardPool {
  private pool: Piscina | undefined;

  constructor(private readonly size: number) {}

  async run(plan: ForwardPlan<unknown>): Promise<ForwardResult> {
    const maxQueue = QUEUED_PASSES_PER_THREAD * this.size;
    this.pool ??= new Piscina({ filename: forwardTaskFile(), minThreads: 0, maxThreads: this.size, maxQueue, idleTimeout: 30_000 });
    let outcome: ForwardTaskOutcome;
    try {
      outcome = (await this.pool.run(packGiven(plan))) as ForwardTaskOutcome;
    } catch (error) {
      if (error instanceof Error && error.message === 'Task queue is at limit') throw new PoolSaturatedError(maxQueue);
      throw error;
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
