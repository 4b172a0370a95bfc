import { unprocessable, shownValue } from '../../errors.js';
import type { PeftConfig } from '../../schemas/model.js';

/** Typed reads of an adapter_config.json's keys; a wrong type is a 422 naming the key. */
export class PeftFields {
  constructor(
    readonly raw: PeftConfig,
    /** "body.peft" or "body.peft.1" (stacked), for error paths. */
    readonly path: string,
  ) {}

  private get(key: string): unknown {
    const v = (this.raw as Record<string, unknown>)[key];
    return v === null ? undefined : v;
  }

  fail(key: string, message: string): never {
    throw unprocessable(`${this.path}.${key} ${message}`, [{ path: `${this.path}.${key}`, message }]);
  }

  positiveInt(key: string, fallback?: number): number {
    const v = this.get(key);
    if (v === undefined) {
      if (fallback !== undefined) return fallback;
      this.fail(key, 'is required');
    }
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) this.fail(key, `must be a positive integer, got ${shownValue(v)}`);
    return v;
  }

  optionalPositiveInt(key: string): number | undefined {
    return this.get(key) === undefined ? undefined : this.positiveInt(key);
  }

  bool(key: string, fallback: boolean): boolean {
    const v = this.get(key);
    if (v === undefined) return fallback;
    if (typeof v !== 'boolean') this.fail(key, `must be a boolean, got ${shownValue(v)}`);
    return v;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[], fallback: T): T {
    const v = this.get(key);
    if (v === undefined) return fallback;
    if (typeof v !== 'string' || !allowed.includes(v as T)) this.fail(key, `must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${shownValue(v)}`);
    return v as T;
  }

  stringList(key: string): string[] | undefined {
    const v = this.get(key);
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) this.fail(key, 'must be a list of strings');
    return v as string[];
  }

  /** A list (suffix rule) or a string (regex / "all-linear"), or undefined. */
  targets(key: string): string[] | string | undefined {
    const v = this.get(key);
    if (v === undefined) return undefined;
    if (typeof v === 'string') return v;
    return this.stringList(key);
  }

  intOrIntList(key: string): number | number[] | undefined {
    const v = this.get(key);
    if (v === undefined) return undefined;
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
    if (Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 0)) return v as number[];
    this.fail(key, 'must be a non-negative integer or a list of them');
  }

  stringOrList(key: string): string | string[] | undefined {
    const v = this.get(key);
    if (v === undefined) return undefined;
    if (typeof v === 'string') return v;
    return this.stringList(key);
  }

  record(key: string): Record<string, unknown> | undefined {
    const v = this.get(key);
    if (v === undefined) return undefined;
    if (typeof v !== 'object' || Array.isArray(v)) this.fail(key, 'must be an object');
    return v as Record<string, unknown>;
  }

  value(key: string): unknown {
    return this.get(key);
  }
}
