/**
 * A Map that holds at most `maxEntries` (and, with `weigh`, at most `maxBytes` by its weights),
 * forgetting the least recently used first: a hit moves its entry to the back of the Map's insertion
 * order, and the front is the one to go.
 */
export interface LruByteBound<K, V> {
  maxBytes: number;
  /** Bytes one entry is counted at (an entry over maxBytes alone is never held). */
  weigh: (key: K, value: V) => number;
}

export class LruMap<K, V> {
  private readonly entries = new Map<K, { value: V; bytes: number }>();
  private bytes = 0;

  constructor(
    readonly maxEntries: number,
    private readonly byteBound?: LruByteBound<K, V>,
  ) {}

  /** The value for `key`, now the most recently used; undefined when absent. */
  get(key: K): V | undefined {
    const hit = this.entries.get(key);
    if (hit === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, hit);
    return hit.value;
  }

  /** Whether `key` is held, without counting as a use. */
  has(key: K): boolean {
    return this.entries.has(key);
  }

  /**
   * Sets `key` as the most recently used, then forgets the least recently used beyond the bounds.
   * Returns whether it is held: a value weighing more than maxBytes alone is not (and replaces nothing).
   */
  set(key: K, value: V): boolean {
    const bytes = this.byteBound?.weigh(key, value) ?? 0;
    if (this.byteBound && bytes > this.byteBound.maxBytes) return false;
    this.delete(key);
    this.entries.set(key, { value, bytes });
    this.bytes += bytes;
    while (this.entries.size > this.maxEntries || (this.byteBound && this.bytes > this.byteBound.maxBytes)) {
      this.delete(this.entries.keys().next().value!);
    }
    return this.entries.has(key);
  }

  delete(key: K): void {
    const held = this.entries.get(key);
    if (held === undefined) return;
    this.entries.delete(key);
    this.bytes -= held.bytes;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The sum of the held entries' weights (0 without a byte bound). */
  get heldBytes(): number {
    return this.bytes;
  }
}
