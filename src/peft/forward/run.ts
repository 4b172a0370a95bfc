import { overBudget, unprocessable } from '../../errors.js';
import { BYTES_PER_ELEMENT, firstNonFinite, numel, type DType, type Tensor } from '../../tensor/tensor.js';
import type { Encoding } from './encoding.js';
import { drawMissing, convertGiven } from './materialize.js';
import type { ForwardMethod } from './method.js';
import { resolveShapes } from './resolve-shapes.js';
import { FAST_PATHS } from '../fast/index.js';
import { isRandomInit, type Engine, type ForwardComputation, type ForwardPlan, type ForwardResult, type OutputMode, type Seed, type TensorJson } from './types.js';

/** Outputs above this many elements default to a summary. */
export const SUMMARY_THRESHOLD_ELEMENTS = 65_536;

/**
 * What one returned value of a full output holds at the response's peak, beyond the pass's own typed
 * tensors (priced by `elements`), for the byte budgets. Measured by `npm run bench response-bytes`: a
 * fresh service's peak RSS for a 1 Mi-value IA3 answer in full over the same pass as a summary, per
 * value (the copy from the worker, the JS array or base64 string, zod's copy, the JSON text and the
 * socket's copy, with the garbage made on the way). Highest single answer over the runs here (5
 * services on 2026-12-03, 6 on 2026-12-07), rounded up to 8 bytes: JSON 155 B (float32) and 156 B
 * (float64), base64 38 B and 70 B. Both dtypes print as ~20-character doubles in JSON; base64 carries 4
 * or 8 bytes in 5.3 or 10.7 characters.
 */
export const RESPONSE_BYTES_PER_VALUE: Record<Encoding, Record<DType, number>> = {
  json: { float32: 160, float64: 160 },
  base64: { float32: 40, float64: 72 },
};

export interface ForwardRequest<Options> {
  dtype: DType;
  /** How a full output is returned: priced per value by RESPONSE_BYTES_PER_VALUE (default json). */
  encoding?: Encoding;
  seed?: Seed;
  output?: OutputMode;
  tensors: Record<string, TensorJson | undefined>;
  fields: Record<string, number | undefined>;
  /** Dimensions defaulting to another's value (prefix's encoder_hidden_size → d_model). */
  defaults?: Record<string, string>;
  options: Options;
}

export interface PlannedForward<Options> extends ForwardPlan<Options> {
  output: OutputMode;
  trainable_params: number;
}

export interface Budget {
  max_flops: number;
  max_bytes: number;
}

/** Validate shapes and price the pass from dimensions alone; nothing large is allocated here. */
export function planForward<Options>(method: ForwardMethod<Options>, req: ForwardRequest<Options>): PlannedForward<Options> {
  const given: Record<string, TensorJson> = {};
  for (const [name, t] of Object.entries(req.tensors)) if (t) given[name] = t;
  method.checkOptions?.(req.options, new Set(Object.keys(given)));
  const resolved = resolveShapes(method.specs(req.options, {}), given, req.fields, req.seed, req.defaults);
  const issues = method.check?.(resolved.dims, req.options) ?? [];
  if (issues.length) throw unprocessable('The configuration cannot be computed.', issues);
  const size = method.size(resolved.dims, resolved.rows, req.options);
  const output = req.output ?? (size.output_elements > SUMMARY_THRESHOLD_ELEMENTS ? 'summary' : 'full');
  const bytes = size.elements * BYTES_PER_ELEMENT[req.dtype] + (output === 'full' ? size.output_elements * RESPONSE_BYTES_PER_VALUE[req.encoding ?? 'json'][req.dtype] : 0);
  const specs = method.specs(req.options, resolved.dims);
  const drawnElements = specs
    .filter((s) => !given[s.name] && isRandomInit(s.init))
    .reduce((sum, s) => sum + numel(resolved.shapes[s.name]), 0);
  return {
    method: method.name,
    dtype: req.dtype,
    seed: req.seed,
    dims: resolved.dims,
    rows: resolved.rows,
    shapes: resolved.shapes,
    specs,
    given,
    options: req.options,
    cost: { flops: size.flops, bytes, output_elements: size.output_elements, drawn_elements: drawnElements },
    output,
    trainable_params: method.trainableParams(resolved.dims, req.options),
  };
}

/** 413 when the priced pass exceeds either budget; the body states both budgets and both costs. */
export function checkBudget(plan: ForwardPlan<unknown>, budget: Budget): void {
  const issues = [];
  if (plan.cost.flops > budget.max_flops) {
    issues.push({ path: 'body', message: `needs ${plan.cost.flops} FLOPs, over the budget of ${budget.max_flops}` });
  }
  if (plan.cost.bytes > budget.max_bytes) {
    issues.push({ path: 'body', message: `needs ${plan.cost.bytes} bytes, over the budget of ${budget.max_bytes}` });
  }
  if (issues.length) {
    throw overBudget(`The ${plan.method} pass is over the request budget.`, issues, {
      budget: { flops: budget.max_flops, bytes: budget.max_bytes },
      cost: { flops: plan.cost.flops, bytes: plan.cost.bytes },
    });
  }
}

/**
 * Passes below this many FLOPs run on the TypeScript reference: there a session run's fixed cost (feeds,
 * output copies, ~20 µs) outweighs the arithmetic. Measured by `npm run bench` (the crossover table).
 */
export const FAST_PATH_MIN_FLOPS = 2e4;

/** The engine a pass of `flops` gets by default (the route passes its configured crossover instead). */
export const engineFor = (flops: number, minFlops = FAST_PATH_MIN_FLOPS): Engine => (flops >= minFlops ? 'onnxruntime' : 'reference');

const allFinite = (c: ForwardComputation): boolean => Object.values(c.outputs).every((t) => firstNonFinite(t.data) < 0);

/**
 * The pass on ONNX Runtime when the method has a fast path and the pass is big enough, else the
 * reference. A fast result that is not finite is recomputed by the reference, which accumulates sums in
 * float64 (float32 graphs accumulate in float32 and can overflow where the reference does not).
 */
async function compute<Options>(method: ForwardMethod<Options>, plan: ForwardPlan<Options>, tensors: Record<string, Tensor>, engine: Engine): Promise<{ computed: ForwardComputation; engine: Engine }> {
  const fast = engine === 'onnxruntime' ? FAST_PATHS[plan.method] : undefined;
  const computed = fast ? await fast(tensors, plan.dims, plan.rows, plan.options as never, plan.dtype, plan.cost.flops) : undefined;
  if (computed && allFinite(computed)) return { computed, engine: 'onnxruntime' };
  return { computed: method.compute(tensors, plan.dims, plan.rows, plan.options, plan.dtype), engine: 'reference' };
}

/**
 * Draw the missing tensors (timed as init), run the pass (timed as compute), and check the results are
 * finite. The engine is the plan's (the route sets it from its crossover), else engineFor the FLOPs.
 */
export async function runForward<Options>(method: ForwardMethod<Options>, plan: ForwardPlan<Options>): Promise<ForwardResult> {
  const engine = plan.engine ?? engineFor(plan.cost.flops);
  const tensors = convertGiven(plan.specs, plan.given, plan.dtype);
  const initStart = performance.now();
  const drawn = drawMissing(plan.specs, tensors, plan.shapes, plan.seed, plan.dtype);
  const computeStart = performance.now();
  const { computed, engine: used } = await compute(method, plan, tensors, engine);
  const { outputs, extras } = computed;
  const computeEnd = performance.now();
  // compute() returns a graph's outputs only once allFinite passed them: only the reference's need the scan.
  const scanned = used === 'reference' ? Object.entries(outputs) : [];
  const issues = scanned.flatMap(([name, t]) => {
    const at = firstNonFinite(t.data);
    return at < 0 ? [] : [{ path: name, message: `element ${at} is ${t.data[at]}: the result overflows ${plan.dtype}` }];
  });
  // A check value (LoRA's max_abs_diff from the other path) can overflow where the returned path did not.
  for (const [name, v] of Object.entries(extras)) {
    if (typeof v === 'number' && !Number.isFinite(v)) issues.push({ path: name, message: `is ${v}: a pass it compares overflows ${plan.dtype}` });
  }
  if (issues.length) throw unprocessable(`The ${plan.method} pass overflowed ${plan.dtype}; scale the inputs down.`, issues);
  return {
    method: plan.method,
    dtype: plan.dtype,
    drawn,
    outputs,
    extras,
    flops: plan.cost.flops,
    engine: used,
    timings: { init_ms: computeStart - initStart, compute_ms: computeEnd - computeStart },
  };
}
