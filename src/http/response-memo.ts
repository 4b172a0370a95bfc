/**
 * A bounded LRU of the serialized answers of pure routes (POST /v1/parameters and the forward passes),
 * one per app, bounded by entries and by bytes (RESPONSE_MEMO_ENTRIES, RESPONSE_MEMO_BYTES). A route
 * whose answer depends on nothing but its validated body answers a repeated body with the bytes it
 * sent before. Two keys lead to an answer: the route with the validated body as JSON (any spelling of
 * the same body hits), and the route with the raw body text that validated to it (a repeat of the
 * same bytes is answered before parsing is validated; see memo-reply.ts). Errors are never kept.
 */
import { LruMap } from '../lru-map.js';

/** Bodies whose JSON is longer (pasted configs, inline tensors) are computed every time rather than held. */
export const MEMO_KEY_CHARS = 16 * 1024;
/** Answers longer than this as JSON (full outputs of more than a few thousand values) are sent, not held; summaries are 1–3 KiB. */
export const MEMO_ANSWER_BYTES = 64 * 1024;

export class ResponseMemo {
  private readonly answers: LruMap<string, Buffer>;

  constructor(
    readonly maxEntries: number,
    readonly maxBytes: number,
  ) {
    // A key counts twice its length (V8 may hold it as UTF-16); an answer shared by two keys counts once per key.
    this.answers = new LruMap(maxEntries, { maxBytes, weigh: (key, answer) => 2 * key.length + answer.length });
  }

  /** RESPONSE_MEMO_ENTRIES=0 or RESPONSE_MEMO_BYTES=0 turns the memo off. */
  get enabled(): boolean {
    return this.maxEntries > 0 && this.maxBytes > 0;
  }

  get(key: string): Buffer | undefined {
    return this.answers.get(key);
  }

  /** Keeps `answer` under `key` unless it is over MEMO_ANSWER_BYTES; returns whether it is held. */
  set(key: string, answer: Buffer): boolean {
    return answer.length <= MEMO_ANSWER_BYTES && this.answers.set(key, answer);
  }

  get size(): number {
    return this.answers.size;
  }

  get heldBytes(): number {
    return this.answers.heldBytes;
  }
}

/** The key of a validated body on a route; undefined when its JSON is over MEMO_KEY_CHARS or too deeply nested to write. */
export function bodyKey(route: string, body: unknown): string | undefined {
  let json: string | undefined;
  try {
    json = JSON.stringify(body);
  } catch {
    return undefined; // JSON.stringify ran out of stack
  }
  return json !== undefined && json.length <= MEMO_KEY_CHARS ? `${route}\u0000body\u0000${json}` : undefined;
}

/** The key of a raw body text on a route (the parser keeps only texts of at most MEMO_KEY_CHARS). */
export const rawKey = (route: string, text: string): string => `${route}\u0000raw\u0000${text}`;
