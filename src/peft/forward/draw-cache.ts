/**
 * Seeded draws, remembered: a bounded LRU of the tensors one request drew, keyed by (seed, dtype, draw
 * plan), where the plan is every missing tensor's name, init rule and shape in draw order. The same key
 * always draws the same bits, so a hit returns exactly what drawing would. Sweeps and repeated calls
 * re-draw the same weights; at the notebook's sizes a cold draw still costs about the pass itself. Cached arrays
 * are shared between requests: the passes treat their inputs as read-only (they copy before scaling).
 * One cache per thread (the event loop and each worker).
 */
import { LruMap } from '../../lru-map.js';
import { GENERATOR, NORMAL_TRANSFORM } from '../../tensor/random.js';
import type { DType, Tensor } from '../../tensor/tensor.js';

/** Bytes of drawn tensors kept per thread. */
export const DRAW_CACHE_BYTES = 128 * 1024 * 1024;

export interface DrawnSet {
  tensors: Record<string, Tensor>;
  drawn: string[];
  bytes: number;
}

/** Bounded by the bytes of the drawn tensors only (LruMap with no entry cap). */
export class DrawCache {
  private readonly entries: LruMap<string, DrawnSet>;

  constructor(maxBytes: number) {
    this.entries = new LruMap(Infinity, { maxBytes, weigh: (_key, set) => set.bytes });
  }

  get(key: string): DrawnSet | undefined {
    return this.entries.get(key);
  }

  /** A key already held keeps its entry (the same key draws the same bits); a set over the whole budget is not held. */
  set(key: string, value: DrawnSet): void {
    if (!this.entries.has(key)) this.entries.set(key, value);
  }

  get size(): number {
    return this.entries.size;
  }

  get heldBytes(): number {
    return this.entries.heldBytes;
  }
}

export const drawCache = new DrawCache(DRAW_CACHE_BYTES);

/** The generator and the normal transform are in the key: were either to change (or become a choice), no entry would answer for the other. */
export const drawKey = (seed: string, dtype: DType, plan: unknown): string => JSON.stringify([GENERATOR, NORMAL_TRANSFORM, seed, dtype, plan]);

/**
 * Draw plans this thread has recently seen completed (on itself or a worker): the edge prices their
 * draws at zero, since the thread that runs the pass most likely holds them. A worker that does not yet
 * only makes that one pass slower than priced.
 */
export class RecentKeys {
  private readonly keys: LruMap<string, true>;

  constructor(max: number) {
    this.keys = new LruMap(max);
  }

  has(key: string | undefined): boolean {
    return key !== undefined && this.keys.has(key);
  }

  add(key: string | undefined): void {
    if (key !== undefined) this.keys.set(key, true);
  }
}

export const recentDrawPlans = new RecentKeys(4096);
