/**
 * Errors the pure domain raises. They carry the HTTP status they mean, but no HTTP machinery:
 * the edge (src/http/plugins/problem.ts) turns them into RFC 9457 problem+json bodies.
 */
export interface FieldIssue {
  /** JSON-pointer-like dotted path of the offending field, e.g. "body.lora_A.shape". */
  path: string;
  message: string;
}

export type DomainStatus = 400 | 404 | 413 | 422;

export class DomainError extends Error {
  readonly status: DomainStatus;
  readonly errors: FieldIssue[];
  readonly title: string;
  /** Extra members merged into the problem body (e.g. a budget and a cost). */
  readonly extra: Record<string, unknown>;

  constructor(status: DomainStatus, title: string, detail: string, errors: FieldIssue[] = [], extra: Record<string, unknown> = {}) {
    super(detail);
    this.name = 'DomainError';
    this.status = status;
    this.title = title;
    this.errors = errors;
    this.extra = extra;
  }
}

/** 400: the request is malformed in a way the schema cannot express (e.g. data length ≠ product of shape). */
export const invalidInput = (detail: string, errors: FieldIssue[] = []) =>
  new DomainError(400, 'Invalid request', detail, errors);

/** 404: a named thing (a preset, say) does not exist. */
export const notFound = (detail: string, errors: FieldIssue[] = []) =>
  new DomainError(404, 'Not found', detail, errors);

/** 413: the request would exceed a compute or memory budget. */
export const overBudget = (detail: string, errors: FieldIssue[] = [], extra: Record<string, unknown> = {}) =>
  new DomainError(413, 'Over budget', detail, errors, extra);

/** 422: valid JSON that cannot be computed (shape mismatch, unknown model_type, targets that match nothing). */
export const unprocessable = (detail: string, errors: FieldIssue[] = []) =>
  new DomainError(422, 'Unprocessable request', detail, errors);

/** Longest rendering of a client's value inside an error message. */
const SHOWN_VALUE_CHARS = 80;

/**
 * A client's value as JSON for an error message, cut to SHOWN_VALUE_CHARS: a megabyte string is not
 * echoed back whole, and a value nested too deep for JSON.stringify (a RangeError) is described instead.
 */
export function shownValue(value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    return Array.isArray(value) ? 'an array nested too deep to show' : 'an object nested too deep to show';
  }
  if (text === undefined) return String(value);
  return text.length > SHOWN_VALUE_CHARS ? `${text.slice(0, SHOWN_VALUE_CHARS)}… (${text.length} characters)` : text;
}
