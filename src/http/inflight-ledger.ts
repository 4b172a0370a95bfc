/**
 * The memory budget across concurrent requests (MAX_INFLIGHT_BYTES): a forward pass or forward sweep
 * reserves its priced bytes before it allocates, and gives them back once its answer is sent, it failed,
 * or its client went away. Over the budget a request waits its turn (first come, first served) for at
 * most MAX_QUEUE_WAIT_MS, then gets a 503; one that could never fit is a 413.
 */
import type { FastifyReply } from 'fastify';
import { overBudget } from '../errors.js';

/** Thrown when a request waited MAX_QUEUE_WAIT_MS and the bytes in flight still left no room: 503 with Retry-After. */
export class InflightBudgetError extends Error {
  constructor(
    readonly bytes: number,
    readonly heldBytes: number,
    readonly budget: number,
    readonly waitedMs: number,
  ) {
    super(`The service is holding ${heldBytes} bytes for requests in flight; this one needs ${bytes} more, over MAX_INFLIGHT_BYTES=${budget}, and no room came within ${waitedMs} ms; retry shortly.`);
    this.name = 'InflightBudgetError';
  }

  /** Requests in flight finish within about the wait they were allowed: retry after that, at least 1 s. */
  get retryAfterSeconds(): number {
    return Math.max(1, Math.ceil(this.waitedMs / 1000));
  }
}

interface Waiter {
  bytes: number;
  admit: () => void;
}

export class InflightLedger {
  private held = 0;
  private readonly queue: Waiter[] = [];

  constructor(
    readonly budget: number,
    private readonly maxWaitMs: number,
  ) {}

  /** Bytes reserved by requests in flight. */
  get heldBytes(): number {
    return this.held;
  }

  /** Requests waiting for room. */
  get waiting(): number {
    return this.queue.length;
  }

  /**
   * Reserves `bytes`, waiting for room when needed; resolves to the function that gives them back
   * (calling it again does nothing). 413 when `bytes` is over the whole budget, 503 after the wait.
   */
  async reserve(bytes: number): Promise<() => void> {
    if (bytes > this.budget) {
      throw overBudget(`This request needs ${bytes} bytes in flight, over the whole budget of ${this.budget} (MAX_INFLIGHT_BYTES) that all requests in flight share.`, [
        { path: 'body', message: `needs ${bytes} bytes in flight, over MAX_INFLIGHT_BYTES=${this.budget}` },
      ], { budget: { inflight_bytes: this.budget }, cost: { bytes } });
    }
    if (this.queue.length > 0 || this.held + bytes > this.budget) await this.wait(bytes);
    else this.held += bytes;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.held -= bytes;
      this.admitWaiting();
    };
  }

  private wait(bytes: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        bytes,
        admit: () => {
          clearTimeout(timer);
          this.held += bytes;
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.queue.splice(this.queue.indexOf(waiter), 1);
        reject(new InflightBudgetError(bytes, this.held, this.budget, this.maxWaitMs));
        this.admitWaiting(); // the one that timed out may have been blocking smaller ones behind it
      }, this.maxWaitMs);
      this.queue.push(waiter);
    });
  }

  /** First come, first served: the head of the queue goes in as soon as it fits, then the next. */
  private admitWaiting(): void {
    while (this.queue.length > 0 && this.held + this.queue[0].bytes <= this.budget) this.queue.shift()!.admit();
  }

  /**
   * Reserves `bytes` for one request: they come back once both the computation has ended (the returned
   * function, called in a finally) and the response is done with, sent or abandoned by its client (the
   * socket's 'close'). A client hanging up mid-pass frees nothing until the pass ends.
   */
  async holdForReply(reply: FastifyReply, bytes: number): Promise<() => void> {
    const release = await this.reserve(bytes);
    let computing = true;
    let closed = reply.raw.destroyed || reply.raw.writableFinished;
    const settle = () => {
      if (!computing && closed) release();
    };
    if (!closed) {
      reply.raw.once('close', () => {
        closed = true;
        settle();
      });
    }
    return () => {
      computing = false;
      settle();
    };
  }
}
