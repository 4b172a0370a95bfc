/**
 * The sweep engine: one target route, a base body, up to two axes, a list of metrics. Every point is
 * the base with the axes' values set, validated by the target's own request schema and computed by
 * the target's own function; what no axis touches (the model inventory, say) is built once.
 */
import type { z } from 'zod';
import { DomainError, invalidInput, overBudget, unprocessable, type FieldIssue } from '../../errors.js';
import type { HoldBytes } from '../forward/types.js';
import { zodFieldIssues } from '../../schemas/issues.js';
import { gridPoints, requestedPoints, resolveAxis, type AxisSpec } from './axes.js';
import { numericPaths, readMetric } from './metrics.js';
import { fieldAtPath, matchesPattern, numericPatterns } from './schema-walk.js';
import type { SweepPoint, SweepResult } from './types.js';
import { unitOf } from './units.js';

/** What a point costs a forward target, as its route prices a pass. */
export interface PointCost {
  flops: number;
  bytes: number;
}

export interface SweepTarget<Body = never, Shared = unknown> {
  name: string;
  /** The target route's own request and response schemas. */
  request: z.ZodType<Body>;
  response: z.ZodType;
  /** Fixes members of the base before any point is made (forward targets: summary output only). */
  fixBase?(base: Record<string, unknown>): Record<string, unknown>;
  /**
   * What the points share, built once from the first point's body. `touched(path)` says whether an
   * axis sets that member or one inside it; what it decides must then be built per point.
   */
  share?(body: Body, touched: (path: string) => boolean): { value: Shared; built_once: string[] };
  /** The route's own computation for one validated body. */
  run(body: Body, shared: Shared | undefined): unknown;
  /** Forward targets: a point's cost, so that the budget is checked on the sum before anything runs. */
  price?(body: Body): PointCost;
  /** Model targets: a point's work in module evaluations (modules of its inventory × the target's cost per module), summed against MAX_SWEEP_WORK. */
  work?(body: Body, shared: Shared | undefined): number;
}

/** A registry of targets whose bodies differ; each is only ever called with its own schema's output. */
export type AnySweepTarget = SweepTarget<any, any>;

export interface SweepRequest {
  base: Record<string, unknown>;
  axes: AxisSpec[];
  metrics: string[];
}

export interface SweepLimits {
  maxPoints: number;
  /** The per-request forward budget, applied to the sum over all points. */
  maxFlops: number;
  maxBytes: number;
}

/** SweepResult plus what the sweep built once instead of per point and, for forward targets, what its passes cost together. */
export type SweepOutcome = SweepResult & { built_once: string[]; forward_cost?: { flops: number; points: number; largest_point_bytes: number } };

const patternCache = new WeakMap<z.ZodType, string[]>();
const patternsOf = (schema: z.ZodType): string[] => {
  let p = patternCache.get(schema);
  if (!p) patternCache.set(schema, (p = numericPatterns(schema)));
  return p;
};

/** The base with the point's values set: containers along each path are copied, everything else is shared with the base. */
function withValues(base: Record<string, unknown>, at: Record<string, number>): Record<string, unknown> {
  const body = { ...base };
  for (const [path, value] of Object.entries(at)) {
    const segments = path.split('.');
    let node: Record<string, unknown> = body;
    for (const segment of segments.slice(0, -1)) {
      const next = node[segment];
      node[segment] = Array.isArray(next) ? [...next] : next !== null && typeof next === 'object' ? { ...next } : {};
      node = node[segment] as Record<string, unknown>;
    }
    node[segments[segments.length - 1]] = value;
  }
  return body;
}

const describeAt = (at: Record<string, number>) =>
  Object.entries(at)
    .map(([p, v]) => `${p} = ${v}`)
    .join(', ');

/** A point's failure as the sweep's own 422 (or the point's 404/413): its index, its axis values and the field. */
function pointError(index: number, at: Record<string, number>, issues: FieldIssue[], cause: { status: DomainError['status']; title: string }, reason: string): DomainError {
  const errors = issues.map((i) => ({ path: `points[${index}]${i.path === '' ? '' : `.${i.path}`}`, message: i.message }));
  const detail = `points[${index}] (${describeAt(at) || 'the base'}) ${reason}: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`;
  // An invalid point is valid JSON that cannot be computed (422); a missing preset stays 404, a point over a budget 413.
  const [status, title] = cause.status === 400 || cause.status === 422 ? [422 as const, 'Unprocessable request'] : [cause.status, cause.title];
  return new DomainError(status, title, detail, errors, { point: { index, at } });
}

/** A DomainError from the target's code names fields as "body.x.y"; in a sweep they sit in the point. */
const fromDomain = (index: number, at: Record<string, number>, e: DomainError) =>
  pointError(index, at, e.errors.length ? e.errors.map((i) => ({ path: i.path.replace(/^body\.?/, ''), message: i.message })) : [{ path: '', message: e.message }], e, 'cannot be computed');


function resolveAxes<Body>(target: SweepTarget<Body>, req: SweepRequest, base: Record<string, unknown>) {
  const seen = new Set<string>();
  return req.axes.map((axis, i) => {
    if (seen.has(axis.path)) throw unprocessable(`axes[${i}] repeats the path "${axis.path}".`, [{ path: `axes.${i}.path`, message: 'is already an axis' }]);
    seen.add(axis.path);
    const field = fieldAtPath(target.request, axis.path, base);
    if (!field.found) {
      throw unprocessable(`"${axis.path}" is not a field of the ${target.name} request.`, [
        { path: `axes.${i}.path`, message: `"${axis.path}" is not in the ${target.name} request schema (keys of a pasted config.json or adapter_config.json are sweepable once base sets them)` },
      ]);
    }
    if (!field.numeric) throw unprocessable(`"${axis.path}" is not a numeric field of the ${target.name} request.`, [{ path: `axes.${i}.path`, message: `"${axis.path}" does not take a number` }]);
    return { spec: axis, integer: field.integer };
  });
}

function checkMetrics(target: SweepTarget<never>, metrics: string[]): void {
  const patterns = patternsOf(target.response);
  metrics.forEach((metric, j) => {
    if (patterns.some((p) => matchesPattern(metric, p))) return;
    throw new DomainError(422, 'Unprocessable request', `Unknown metric "${metric}" for target ${target.name}; available: ${patterns.join(', ')}.`, [
      { path: `metrics.${j}`, message: `"${metric}" is not a numeric field of the ${target.name} response` },
    ], { available: patterns });
  });
}

/**
 * Points × the base's JSON size: each point is validated (and so copied by zod) twice. A pasted
 * config.json is a few kB; this bounds a hostile one of megabytes times thousands of points.
 */
export const MAX_SWEEP_VOLUME_BYTES = 256 * 1024 * 1024;

/**
 * Module evaluations one sweep may do (SweepTarget.work, in accounting visits of about 0.4 µs each
 * here): some 20 s of one core, during which the sweep yields to the event loop. On Llama-2-7B (291
 * modules) that is 10,000 parameter points, or about 11,000 compute and 3,400 memory points.
 */
export const MAX_SWEEP_WORK = 50_000_000;

/**
 * The base's JSON size. JSON.parse takes nesting of any depth but JSON.stringify recurses: a base nested
 * some 10^5 deep ran it out of stack (a 500 found by the fuzzer); no target route could take it either.
 */
function jsonLength(base: Record<string, unknown>): number {
  try {
    return JSON.stringify(base).length;
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw invalidInput('base is nested too deep to be a body of any target route.', [{ path: 'base', message: 'is nested too deep to process' }]);
  }
}

/** A sweep checked end to end (axes, cap, metrics, every point's body, the forward budget), ready to run point by point. */
interface PreparedSweep {
  size: number;
  /** Forward targets: what the passes cost together, known before any runs. */
  forwardCost?: { flops: number; points: number; largest_point_bytes: number };
  /** The target's computation at one point (a value, or a promise for forward targets). */
  run(index: number): unknown;
  /** A point's failure as the sweep's error. */
  fail(index: number, error: unknown): never;
  record(index: number, response: unknown): void;
  result(): SweepOutcome;
}

function prepareSweep<Body, Shared>(target: SweepTarget<Body, Shared>, req: SweepRequest, limits: SweepLimits): PreparedSweep {
  const base = target.fixBase ? target.fixBase(req.base) : req.base;
  const planned = resolveAxes(target, req, base);
  const requested = requestedPoints(planned.map((a) => a.spec));
  if (requested > limits.maxPoints) {
    throw overBudget(`The sweep asks for ${requested} points, over the cap of ${limits.maxPoints} (MAX_SWEEP_POINTS).`, [
      { path: 'axes', message: `${requested} points requested, at most ${limits.maxPoints}` },
    ], { cap: limits.maxPoints, requested });
  }
  const baseBytes = jsonLength(base);
  if (requested * baseBytes > MAX_SWEEP_VOLUME_BYTES) {
    throw overBudget(`${requested} points of a ${baseBytes}-byte base make ${requested * baseBytes} bytes to validate, over ${MAX_SWEEP_VOLUME_BYTES}.`, [
      { path: 'base', message: `points × base size must stay within ${MAX_SWEEP_VOLUME_BYTES} bytes` },
    ], { budget: { bytes: MAX_SWEEP_VOLUME_BYTES }, cost: { bytes: requested * baseBytes } });
  }
  checkMetrics(target as SweepTarget<never>, req.metrics);
  const axes = planned.map((a, i) => resolveAxis(a.spec, i, a.integer));
  const grid = gridPoints(axes);

  const fail = (index: number, e: unknown): never => {
    throw e instanceof DomainError && !e.extra.point ? fromDomain(index, grid[index], e) : e;
  };
  const attempt = <T>(index: number, fn: () => T): T => {
    try {
      return fn();
    } catch (e) {
      return fail(index, e);
    }
  };
  // Bodies are rebuilt when needed rather than kept: thousands of validated copies of a pasted config would not fit.
  const pointBody = (index: number): Body => {
    const parsed = target.request.safeParse(withValues(base, grid[index]));
    if (!parsed.success) throw pointError(index, grid[index], zodFieldIssues(parsed.error), { status: 400, title: 'Invalid request' }, 'is invalid');
    return parsed.data;
  };

  const touched = (path: string) => axes.some((a) => a.path === path || a.path.startsWith(`${path}.`));
  const shared = target.share ? attempt(0, () => target.share!(pointBody(0), touched)) : undefined;
  // Every point valid, and the summed cost (FLOPs of forward passes, module evaluations of model targets) within budget, before any runs.
  const pricing = target.price ? new CostSum(limits) : undefined;
  let work = 0;
  for (let index = 0; index < grid.length; index++) {
    const body = pointBody(index);
    if (pricing) pricing.add(index, grid[index], attempt(index, () => target.price!(body)));
    if (target.work) {
      work += attempt(index, () => target.work!(body, shared?.value));
      if (work > MAX_SWEEP_WORK) {
        throw overBudget(`Points 0 to ${index} of this ${target.name} sweep already need ${work} module evaluations, over the sweep budget of ${MAX_SWEEP_WORK}; use fewer points or a smaller model.`, [
          { path: 'axes', message: `at least ${work} module evaluations, at most ${MAX_SWEEP_WORK}` },
        ], { budget: { module_evaluations: MAX_SWEEP_WORK }, cost: { module_evaluations: work, points_priced: index + 1 } });
      }
    }
  }
  const forwardCost = pricing?.total(grid.length);

  const points: SweepPoint[] = [];
  return {
    size: grid.length,
    forwardCost,
    run: (index) => attempt(index, () => target.run(pointBody(index), shared?.value)),
    fail,
    record(index, response) {
      const metrics: Record<string, number> = {};
      for (const metric of req.metrics) {
        const value = readMetric(response, metric);
        if (value === undefined) {
          throw new DomainError(422, 'Unprocessable request', `points[${index}] (${describeAt(grid[index])}) has no number at "${metric}".`, [
            { path: `points[${index}].${metric}`, message: "is not in this point's response" },
          ], { point: { index, at: grid[index] }, available: numericPaths(response) });
        }
        metrics[metric] = value;
      }
      points.push({ at: grid[index], metrics });
    },
    result: () => ({
      target: target.name,
      axes,
      metrics: req.metrics,
      units: Object.fromEntries(req.metrics.map((m) => [m, unitOf(target.name, m)])),
      points,
      built_once: shared?.built_once ?? [],
      ...(forwardCost ? { forward_cost: forwardCost } : {}),
    }),
  };
}

/**
 * A long sweep's slice of the event loop before it lets other requests in. With four 1,000-point
 * parameter sweeps in flight, 20 ms slices kept /healthz waiting 125 ms at the median (four slices
 * and the collector between its turns); 4 ms slices, 21 ms (p99 180 → 39 ms), for 14 % fewer sweeps done
 * in the same 8 s (166 → 143; bench/README.md).
 */
const YIELD_EVERY_MS = 4;

/**
 * A sweep over any target; forward points run one after another (each may go to the worker pool), so a
 * forward sweep holds its largest point's bytes (`hold`) for all its points.
 */
export async function runSweep<Body, Shared>(target: SweepTarget<Body, Shared>, req: SweepRequest, limits: SweepLimits, hold?: HoldBytes): Promise<SweepOutcome> {
  const sweep = prepareSweep(target, req, limits);
  const computed = sweep.forwardCost && hold ? await hold(sweep.forwardCost.largest_point_bytes) : undefined;
  try {
    return await runPoints(sweep);
  } finally {
    computed?.();
  }
}

async function runPoints(sweep: PreparedSweep): Promise<SweepOutcome> {
  let lastYield = performance.now();
  for (let index = 0; index < sweep.size; index++) {
    // A long sweep lets other requests in every few milliseconds.
    if (performance.now() - lastYield > YIELD_EVERY_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      lastYield = performance.now();
    }
    let response: unknown;
    try {
      response = await sweep.run(index);
    } catch (e) {
      sweep.fail(index, e);
    }
    sweep.record(index, response);
  }
  return sweep.result();
}

/** A sweep over a target whose computation is synchronous (parameters, memory, compute). */
export function runSweepSync<Body, Shared>(target: SweepTarget<Body, Shared>, req: SweepRequest, limits: SweepLimits): SweepOutcome {
  const sweep = prepareSweep(target, req, limits);
  for (let index = 0; index < sweep.size; index++) {
    const response = sweep.run(index);
    if (response instanceof Promise) throw new Error(`target ${target.name} is asynchronous; use runSweep`);
    sweep.record(index, response);
  }
  return sweep.result();
}

/** Forward sweeps: every point priced as its route would price it, and the sum held to one request's budget (stopping as soon as it is over). */
class CostSum {
  private flops = 0;
  private largestBytes = 0;

  constructor(private readonly limits: SweepLimits) {}

  add(index: number, at: Record<string, number>, cost: PointCost): void {
    const budget = { flops: this.limits.maxFlops, bytes: this.limits.maxBytes };
    if (cost.bytes > this.limits.maxBytes) {
      throw overBudget(`points[${index}] (${describeAt(at)}) needs ${cost.bytes} bytes, over the budget of ${this.limits.maxBytes} (MAX_REQUEST_BYTES).`, [
        { path: `points[${index}]`, message: `needs ${cost.bytes} bytes, over the budget of ${this.limits.maxBytes}` },
      ], { budget, cost: { bytes: cost.bytes }, point: { index, at } });
    }
    this.flops += cost.flops;
    this.largestBytes = Math.max(this.largestBytes, cost.bytes);
    if (this.flops > this.limits.maxFlops) {
      throw overBudget(`Points 0 to ${index} of this sweep already need ${this.flops} FLOPs together, over the request budget of ${this.limits.maxFlops} (MAX_REQUEST_FLOPS), which applies to the sum over all points.`, [
        { path: 'axes', message: `the points need at least ${this.flops} FLOPs in sum, over the budget of ${this.limits.maxFlops}` },
      ], { budget, cost: { flops: this.flops, points_priced: index + 1 } });
    }
  }

  /** Within budget: what the sweep's passes cost together. */
  total(points: number): { flops: number; points: number; largest_point_bytes: number } {
    return { flops: this.flops, points, largest_point_bytes: this.largestBytes };
  }
}
