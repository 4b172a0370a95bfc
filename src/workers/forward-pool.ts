import { DomainError } from '../errors.js';
import type { ForwardPlan, ForwardResult } from '../peft/forward/types.js';
import type { ForwardTaskOutcome } from './forward-task.js';
import { taskFile, WorkerPool } from './worker-pool.js';

/** Plain number arrays cross threads element by element; Float64Array copies as one block (and is lossless). */
function packGiven(plan: ForwardPlan<unknown>): ForwardPlan<unknown> {
  const given = Object.fromEntries(
    Object.entries(plan.given).map(([name, t]) => [name, { shape: t.shape, data: Float64Array.from(t.data) }]),
  );
  return { ...plan, given };
}

/**
 * The one pool of forward passes (the forward routes' and forward sweeps'), admitting each pass by its
 * expected milliseconds: a pass crosses as its plan and comes back as its result, or as its domain error.
 */
export class ForwardPool {
  private readonly pool: WorkerPool;

  constructor(size: number, maxWaitMs: number) {
    this.pool = new WorkerPool({ filename: taskFile('forward-task'), size, maxWaitMs, task: 'pass' });
  }

  /** Expected wait of a new pass, in ms: the admitted work spread over the threads. */
  get expectedWaitMs(): number {
    return this.pool.expectedWaitMs;
  }

  async run(plan: ForwardPlan<unknown>, expectedMs: number): Promise<ForwardResult> {
    const outcome = (await this.pool.run(packGiven(plan), expectedMs)) as ForwardTaskOutcome;
    if (outcome.ok) return outcome.result;
    const e = outcome.error;
    throw new DomainError(e.status, e.title, e.detail, e.errors, e.extra);
  }

  get started(): boolean {
    return this.pool.started;
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
