import { invalidInput, unprocessable, type FieldIssue } from '../../errors.js';
import { formatShape, numel } from '../../tensor/tensor.js';
import { isRandomInit, type Seed, type TensorJson, type TensorSpec } from './types.js';

const DERIVED_DIM = /^(\d+)\*(\w+)$/;

/** Value of a dimension name in the bound dims: plain names directly, `k*name` as k times name. */
function dimValue(dim: string, dims: Record<string, number>): number | undefined {
  const m = DERIVED_DIM.exec(dim);
  if (!m) return dims[dim];
  const base = dims[m[2]];
  return base === undefined ? undefined : Number(m[1]) * base;
}

/** The dimensions of `shape` that `spec.dims` names (its trailing ones), or undefined when its rank cannot fit. */
function namedPart(spec: TensorSpec, shape: readonly number[]): number[] | undefined {
  const rankOk = spec.leading ? shape.length >= spec.dims.length : shape.length === spec.dims.length;
  return rankOk ? shape.slice(shape.length - spec.dims.length) : undefined;
}

export interface ResolvedShapes {
  dims: Record<string, number>;
  shapes: Record<string, number[]>;
  rows: number;
}

/** 400 for tensors whose data disagree with their own shape, before anything else is looked at. */
function checkSelfConsistency(specs: readonly TensorSpec[], given: Record<string, TensorJson>): void {
  const issues: FieldIssue[] = [];
  for (const spec of specs) {
    const t = given[spec.name];
    if (!t) continue;
    const badDim = t.shape.findIndex((d) => !Number.isInteger(d) || d < 1);
    if (badDim >= 0) {
      issues.push({ path: `body.${spec.name}.shape.${badDim}`, message: `dimensions must be positive integers, got ${t.shape[badDim]}` });
      continue;
    }
    const expected = numel(t.shape);
    if (t.data.length !== expected) {
      issues.push({
        path: `body.${spec.name}.data`,
        message: `has ${t.data.length} values but shape ${formatShape(t.shape)} needs ${expected}`,
      });
    }
  }
  if (issues.length) throw invalidInput('Tensor data do not match their shapes.', issues);
}

/**
 * Bind every named dimension, first from the given tensors (in spec order: they take precedence),
 * then from the request's dimension fields; then check every tensor against the bound dimensions.
 * Conflicts are 422 naming each offending tensor or field with the expected and actual shape.
 */
export function resolveShapes(
  specs: readonly TensorSpec[],
  given: Record<string, TensorJson>,
  fields: Record<string, number | undefined>,
  seed: Seed | undefined,
  /** Dimensions that default to another dimension's value when nothing binds them. */
  defaults: Record<string, string> = {},
): ResolvedShapes {
  checkSelfConsistency(specs, given);
  const dims: Record<string, number> = {};
  const source: Record<string, string> = {};
  const issues: FieldIssue[] = [];
  const bind = (dim: string, value: number, from: string) => {
    if (dims[dim] === undefined && !DERIVED_DIM.test(dim)) {
      dims[dim] = value;
      source[dim] = from;
    }
  };

  for (const spec of specs) {
    const t = given[spec.name];
    if (!t) continue;
    const part = namedPart(spec, t.shape);
    if (!part) continue; // reported below
    part.forEach((d, i) => bind(spec.dims[i], d, `${spec.name}.shape`));
    if (spec.leading && t.shape.length === spec.dims.length + spec.leading.length) {
      spec.leading.forEach((dim, i) => bind(dim, t.shape[i], `${spec.name}.shape`));
    } else if (spec.leading) {
      // x of another rank has no batch/seq pair: a field naming one would be reported but never used.
      const lead = formatShape(t.shape.slice(0, t.shape.length - spec.dims.length));
      for (const dim of spec.leading.filter((d) => fields[d] !== undefined)) {
        issues.push({ path: `body.${dim}`, message: `is ${fields[dim]} but ${spec.name}.shape has leading dimensions ${lead}, not [${spec.leading.join(', ')}]` });
      }
    }
  }
  for (const [field, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    if (dims[field] === undefined) bind(field, value, field);
    else if (dims[field] !== value) {
      issues.push({ path: `body.${field}`, message: `is ${value} but ${source[field]} gives ${dims[field]}` });
    }
  }

  for (const [dim, other] of Object.entries(defaults)) {
    if (dims[dim] === undefined && dims[other] !== undefined) bind(dim, dims[other], `${other} (default)`);
  }

  const shapes: Record<string, number[]> = {};
  let rows = 1;
  for (const spec of specs) {
    const t = given[spec.name];
    if (t) {
      const expected = spec.dims.map((d) => dimValue(d, dims));
      const got = namedPart(spec, t.shape);
      if (!got || got.some((d, i) => d !== expected[i])) {
        const named = spec.dims.map((d) => `${d}=${dimValue(d, dims) ?? '?'}`).join(', ');
        const lead = spec.leading ? '[..., ' : '[';
        issues.push({
          path: `body.${spec.name}.shape`,
          message: `expected ${lead}${named}], got ${formatShape(t.shape)}`,
        });
      }
      shapes[spec.name] = [...t.shape];
      if (spec.leading) rows = numel(t.shape.slice(0, t.shape.length - spec.dims.length));
    }
  }
  if (issues.length) throw unprocessable('Tensor shapes do not agree.', issues);

  const missing: FieldIssue[] = [];
  for (const spec of specs) {
    if (given[spec.name] || spec.init.kind === 'absent') continue;
    const needed = [...(spec.leading ?? []), ...spec.dims];
    const unbound = needed.filter((d) => dimValue(d, dims) === undefined);
    if (seed === undefined && isRandomInit(spec.init)) {
      missing.push({ path: `body.${spec.name}`, message: `is required unless a seed is given (with ${needed.join(', ')})` });
    } else if (unbound.length) {
      // A derived tensor (prompt TEXT init) cannot be given instead: only its dimensions help.
      const remedy = spec.init.kind === 'derived' ? 'give' : 'give it, or';
      missing.push({ path: `body.${spec.name}`, message: `cannot be made: ${remedy} the dimension field(s) ${unbound.join(', ')}` });
    } else {
      shapes[spec.name] = needed.map((d) => dimValue(d, dims) as number);
      if (spec.leading) rows = numel(spec.leading.map((d) => dims[d]));
    }
  }
  if (missing.length) throw invalidInput('Missing tensors or dimensions.', missing);
  return { dims, shapes, rows };
}
