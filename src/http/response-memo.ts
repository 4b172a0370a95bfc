/**
 * A bounded LRU of responses of a pure route, keyed by its validated body as JSON (the same body in
 * the same key order; another order only misses). A route whose answer depends on nothing but its body
 * answers a repeated body without recomputing it; errors are never remembered. The cached object is
 * shared between responses: the serializer only reads it.
 */
import { LruMap } from '../lru-map.js';

export class ResponseMemo<T> {
  private readonly entries: LruMap<string, T>;

  constructor(
    maxEntries: number,
    /** Longer keys (pasted configs of many KiB) are computed every time rather than held. */
    private readonly maxKeyLength: number,
  ) {
    this.entries = new LruMap(maxEntries);
  }

  /** The remembered answer for `body`, else compute() remembered (when its key is short enough). */
  answer(body: unknown, compute: () => T): T {
    const key = keyOf(body);
    if (key === undefined) return compute();
    const hit = this.entries.get(key);
    if (hit !== undefined) return hit;
    const value = compute();
    if (key.length <= this.maxKeyLength) this.entries.set(key, value);
    return value;
  }

  get size(): number {
    return this.entries.size;
  }
}

/** The body as JSON; undefined for one nested too deeply to write (JSON.stringify runs out of stack). */
function keyOf(body: unknown): string | undefined {
  try {
    return JSON.stringify(body);
  } catch {
    return undefined;
  }
}
