import { z } from 'zod';
import { invalidInput, type FieldIssue } from '../../errors.js';
import { DimensionSchema, MAX_DIMENSION, MAX_RANK, MAX_TENSOR_VALUES } from '../../schemas/forward/common.js';
import { MAX_INIT_TOKEN_IDS, TokenIdSchema } from '../../schemas/forward/prompt.js';

/** Bad elements listed per array before the rest are only counted. */
export const MAX_LISTED_ELEMENTS = 10;

interface ArrayRule {
  max: number;
  element: z.ZodType;
  /** A fast form of `element`'s check (a test holds the two together). */
  isValid: (v: unknown) => boolean;
}

export const TENSOR_ARRAY_RULES: Record<'shape' | 'data', ArrayRule> = {
  shape: { max: MAX_RANK, element: DimensionSchema, isValid: (v) => Number.isSafeInteger(v) && (v as number) >= 1 && (v as number) <= MAX_DIMENSION },
  data: { max: MAX_TENSOR_VALUES, element: z.number(), isValid: (v) => typeof v === 'number' && Number.isFinite(v) },
};
export const TOKEN_IDS_RULE: ArrayRule = { max: MAX_INIT_TOKEN_IDS, element: TokenIdSchema, isValid: (v) => Number.isSafeInteger(v) && (v as number) >= 0 };

/** Issues of one array, or undefined when zod can be left to it (≤ MAX_LISTED_ELEMENTS bad elements, not too long). */
function screen(value: unknown, rule: ArrayRule, path: string): FieldIssue[] | undefined {
  if (!Array.isArray(value)) return undefined;
  if (value.length > rule.max) return [{ path, message: `Too big: expected array to have <=${rule.max} items, got ${value.length}` }];
  const bad: number[] = [];
  for (let i = 0; i < value.length; i++) if (!rule.isValid(value[i])) bad.push(i);
  if (bad.length <= MAX_LISTED_ELEMENTS) return undefined;
  const issues = bad.slice(0, MAX_LISTED_ELEMENTS).map((i) => ({
    path: `${path}.${i}`,
    message: rule.element.safeParse(value[i]).error?.issues[0]?.message ?? 'Invalid input',
  }));
  issues.push({ path, message: `${bad.length} elements are invalid; the first ${MAX_LISTED_ELEMENTS} are listed` });
  return issues;
}

/**
 * Runs before schema validation: zod makes one issue per bad array element, so 8 MB of strings would
 * cost millions of issues, tens of seconds and gigabytes. Arrays that are too long or have more than
 * MAX_LISTED_ELEMENTS bad elements are answered here with a short 400; everything else is left to zod.
 * `at` names where the forward body sits (a sweep's base is "body.base").
 */
export function screenForwardArrays(body: unknown, at = 'body'): void {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return;
  const issues: FieldIssue[] = [];
  for (const [name, value] of Object.entries(body)) {
    if (name === 'init_token_ids') issues.push(...(screen(value, TOKEN_IDS_RULE, `${at}.${name}`) ?? []));
    else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      for (const key of ['shape', 'data'] as const) {
        issues.push(...(screen((value as Record<string, unknown>)[key], TENSOR_ARRAY_RULES[key], `${at}.${name}.${key}`) ?? []));
      }
    }
  }
  if (issues.length) throw invalidInput(`${issues.length} invalid field${issues.length === 1 ? '' : 's'}: ${issues.map((e) => e.path).join(', ')}`, issues);
}
