/**
 * Reading zod schemas as trees: what field a dotted request path names (for sweep axes) and every
 * numeric leaf of a response (for sweep metrics). Wrappers (optional, default, prefault, nullable,
 * pipe, ...) are looked through; unions are searched member by member.
 */
import type { z } from 'zod';
import { ELEMENT_KEYS } from './metrics.js';

type Def = {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  options?: z.ZodType[];
  element?: z.ZodType;
  valueType?: z.ZodType;
  catchall?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  left?: z.ZodType;
  right?: z.ZodType;
  getter?: () => z.ZodType;
};

const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'nonoptional', 'catch', 'success']);

/** The schemas a value may be checked against once wrappers are peeled: one, or each member of a union. */
function alternatives(schema: z.ZodType, side: 'in' | 'out'): z.ZodType[] {
  const def = defOf(schema);
  if (WRAPPERS.has(def.type)) return alternatives(def.innerType!, side);
  if (def.type === 'pipe') return alternatives(side === 'in' ? def.in! : def.out!, side);
  if (def.type === 'lazy') return alternatives(def.getter!(), side);
  if (def.type === 'union') return def.options!.flatMap((o) => alternatives(o, side));
  if (def.type === 'intersection') return [...alternatives(def.left!, side), ...alternatives(def.right!, side)];
  return [schema];
}

/** A number with an int check, or a field checked by the domain (typed unknown, or a number whose 422 says why) documented as JSON type integer. */
const isInteger = (s: z.ZodType): boolean => {
  const n = s as unknown as { isInt?: boolean; format?: string | null };
  if (s.meta()?.type === 'integer') return true;
  if (defOf(s).type === 'unknown') return false;
  return defOf(s).type === 'number' && (n.isInt === true || (typeof n.format === 'string' && /int/.test(n.format)));
};

/** What a request path leads to: whether a number can go there and whether it must be an integer. */
export interface FieldAtPath {
  found: boolean;
  /** Some member at the path accepts a number (a number field, or one the domain checks, typed unknown). */
  numeric: boolean;
  /** Every numeric member at the path is an integer field (zod int checks). */
  integer: boolean;
}

/**
 * The field a dotted path names in a request schema. A key the schema does not declare is found only
 * under a loose object (an HF config.json, an adapter_config.json) and only when `base` holds it: the
 * domain reads such keys, and a key absent from both is a typo.
 */
export function fieldAtPath(schema: z.ZodType, path: string, base: unknown): FieldAtPath {
  const leaves: z.ZodType[] = [];
  const walk = (s: z.ZodType, segments: string[], value: unknown) => {
    for (const alt of alternatives(s, 'in')) {
      if (segments.length === 0) {
        leaves.push(alt);
        continue;
      }
      const [head, ...rest] = segments;
      const def = defOf(alt);
      // Own keys only: "constructor", "__proto__" or "toString" would otherwise find Object.prototype's members (a 500 found by the fuzzer).
      const child = value !== null && typeof value === 'object' && Object.hasOwn(value, head) ? (value as Record<string, unknown>)[head] : undefined;
      if (def.type === 'object') {
        const declared = Object.hasOwn(def.shape!, head) ? def.shape![head] : undefined;
        if (declared) walk(declared, rest, child);
        else if (def.catchall && defOf(def.catchall).type !== 'never' && child !== undefined) walk(def.catchall, rest, child);
      } else if (def.type === 'array' && /^\d+$/.test(head)) walk(def.element!, rest, child);
      else if (def.type === 'record' && child !== undefined) walk(def.valueType!, rest, child);
    }
  };
  walk(schema, path.split('.'), base);
  const numericLeaves = leaves.filter((l) => ['number', 'unknown', 'any'].includes(defOf(l).type));
  return {
    found: leaves.length > 0,
    numeric: numericLeaves.length > 0,
    integer: numericLeaves.length > 0 && numericLeaves.every(isInteger),
  };
}

/** An array element's identity key in a response schema, if its elements carry one as a string field. */
function elementKey(element: z.ZodType): string | undefined {
  for (const alt of alternatives(element, 'out')) {
    const def = defOf(alt);
    if (def.type !== 'object') continue;
    const key = ELEMENT_KEYS.find((k) => def.shape![k] && alternatives(def.shape![k], 'out').some((s) => defOf(s).type === 'string'));
    if (key) return key;
  }
  return undefined;
}

/**
 * Every numeric leaf of a response schema as a dotted pattern. Array elements appear as `{index}`
 * or, when they carry a name, `{name}` (`{adapter_name}`, `{stage}`); record entries as `{key}`.
 */
export function numericPatterns(schema: z.ZodType): string[] {
  const found = new Set<string>();
  const walk = (s: z.ZodType, prefix: string[]) => {
    for (const alt of alternatives(s, 'out')) {
      const def = defOf(alt);
      if (def.type === 'number') found.add(prefix.join('.'));
      else if (def.type === 'object') for (const [k, v] of Object.entries(def.shape!)) walk(v, [...prefix, k]);
      else if (def.type === 'array') walk(def.element!, [...prefix, `{${elementKey(def.element!) ?? 'index'}}`]);
      else if (def.type === 'record') walk(def.valueType!, [...prefix, '{key}']);
    }
  };
  walk(schema, []);
  return [...found];
}

/** Whether a concrete metric path fits a pattern: `{index}` is one all-digit segment, other placeholders one or more segments (module names hold dots). */
export function matchesPattern(path: string, pattern: string): boolean {
  const p = pattern.split('.');
  const s = path.split('.');
  const match = (i: number, j: number): boolean => {
    if (i === p.length) return j === s.length;
    if (j === s.length) return false;
    if (p[i] === '{index}') return /^\d+$/.test(s[j]) && match(i + 1, j + 1);
    if (p[i].startsWith('{')) {
      for (let k = j + 1; k <= s.length; k++) if (match(i + 1, k)) return true;
      return false;
    }
    return p[i] === s[j] && match(i + 1, j + 1);
  };
  return match(0, 0);
}
