import type { ResourceLimits } from 'node:worker_threads';
import { Piscina } from 'piscina';

/**
 * The task file `name` beside this module: name.ts when running from source (tests; worker threads
 * inherit tap's TypeScript loader), name.js when running from dist/.
 */
export function taskFile(name: string, moduleUrl: string = import.meta.url): string {
  const ext = moduleUrl.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./${name}${ext}`, moduleUrl).href;
}

/** Thrown when the queued work would keep a new task waiting too long: the edge answers 503 with Retry-After. */
export class PoolSaturatedError extends Error {
  constructor(
    readonly expectedWaitMs: number,
    readonly maxWaitMs: number,
    /** What would wait, for the message: 'a pass', 'a chart'. */
    task = 'a pass',
  ) {
    super(`The worker pool is saturated: ${task} would wait about ${Math.round(expectedWaitMs)} ms, over the limit of ${maxWaitMs} ms; retry shortly.`);
    this.name = 'PoolSaturatedError';
  }

  /** Seconds until the queued work is expected to drain (at least 1). */
  get retryAfterSeconds(): number {
    return Math.max(1, Math.ceil(this.expectedWaitMs / 1000));
  }
}

/** Thrown for a task that cannot run because the service is closing: the edge answers 503, nothing is logged as an error. */
export class PoolClosingError extends Error {
  constructor(task = 'pass') {
    super(`The service is shutting down and this ${task} could not run; retry on another replica.`);
    this.name = 'PoolClosingError';
  }
}

export interface WorkerPoolOptions {
  /** The task file (taskFile()): its default export runs each task. */
  filename: string;
  size: number;
  maxWaitMs: number;
  /** What one task is, for the 503s' messages: 'pass', 'chart'. */
  task: string;
  /** V8 heap bounds of each thread (worker_threads' resourceLimits). */
  resourceLimits?: ResourceLimits;
}

/**
 * A lazily started piscina pool of `size` threads running one task file. Admission is here and only
 * here: a task is queued while the expected milliseconds of admitted, unfinished work per thread (plus
 * its own) stay under maxWaitMs, so fifty clients of a sub-millisecond task all queue, while a backlog of
 * seconds of work is refused. Nothing listens to piscina's 'error' event: a thread whose file does not
 * load, or (as measured with the chart thread's heap bounded at 96 MB) whose heap runs out, stops the
 * process, where a listener would have left its tasks unsettled and their requests hanging.
 */
export class WorkerPool {
  private pool: Piscina | undefined;
  private pendingMs = 0;
  private closed = false;
  /** Tasks submitted and not yet settled: close() waits for them. */
  private readonly pending = new Set<Promise<unknown>>();

  constructor(private readonly options: WorkerPoolOptions) {}

  /** Expected wait of a new task, in ms: the admitted work spread over the threads. */
  get expectedWaitMs(): number {
    return this.pendingMs / this.options.size;
  }

  /** The task file's default export applied to `task` on a thread; what it returns crosses back by structured clone. */
  async run(task: unknown, expectedMs: number): Promise<unknown> {
    const { filename, size, maxWaitMs, task: noun, resourceLimits } = this.options;
    if (this.closed) throw new PoolClosingError(noun);
    const wait = (this.pendingMs + expectedMs) / size;
    // An idle pool admits any task the budget allowed: the limit is on queueing, not on one task's length.
    if (this.pendingMs > 0 && wait > maxWaitMs) throw new PoolSaturatedError(wait, maxWaitMs, `a ${noun}`);
    this.pool ??= new Piscina({ filename, minThreads: 0, maxThreads: size, idleTimeout: 30_000, resourceLimits });
    this.pendingMs += expectedMs;
    try {
      const running = this.pool.run(task);
      this.pending.add(running);
      void running.catch(() => {}).finally(() => this.pending.delete(running));
      return await running;
    } catch (error) {
      if (this.closed) throw new PoolClosingError(noun); // a task that a forced close cut short
      throw error;
    } finally {
      this.pendingMs -= expectedMs;
    }
  }

  get started(): boolean {
    return this.pool !== undefined;
  }

  /**
   * Drains: queued and running tasks finish (the process's shutdown grace bounds how long), then the
   * threads stop. destroy() alone failed every queued task with "Terminating worker thread", each logged
   * as a 500; piscina's own graceful close() can miss its last task and wait for its 30 s timeout.
   */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.pending]);
    const pool = this.pool;
    this.pool = undefined;
    await pool?.destroy();
  }
}
