import { invalidInput } from '../../errors.js';
import { createGenerator, fillNormal, fillUniform, type Uniform } from '../../tensor/random.js';
import { allocateData, firstNonFinite, fromValues, numel, type DType, type Tensor } from '../../tensor/tensor.js';
import { drawCache, drawKey, type DrawCache } from './draw-cache.js';
import { isRandomInit, type InitRule, type Seed, type TensorJson, type TensorSpec } from './types.js';

/** Typed copies of the given tensors. float32 values outside float32's range are a 400, not an Infinity. */
export function convertGiven(specs: readonly TensorSpec[], given: Record<string, TensorJson>, dtype: DType): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const spec of specs) {
    const t = given[spec.name];
    if (!t) continue;
    const typed = fromValues(t.data, t.shape, dtype);
    const at = firstNonFinite(typed.data);
    if (at >= 0) {
      throw invalidInput(`A value of ${spec.name} does not fit in ${dtype}.`, [
        { path: `body.${spec.name}.data.${at}`, message: `${t.data[at]} is outside the ${dtype} range` },
      ]);
    }
    out[spec.name] = typed;
  }
  return out;
}

function draw(rule: InitRule, length: number, dtype: DType, rng: () => Uniform) {
  const data = allocateData(dtype, length);
  switch (rule.kind) {
    case 'normal':
      return fillNormal(data, rng(), rule.std, rule.mean ?? 0);
    case 'uniform':
      return fillUniform(data, rng(), rule.low, rule.high);
    default:
      return data.fill(rule.kind === 'constant' ? rule.value : 0);
  }
}

/**
 * Make every missing tensor, in spec order (the documented draw order), from one generator for the
 * request. Given tensors consume no draws. Returns the names drawn at random, in order. Sets that
 * draw at random come from (and go to) the thread's draw cache, unless `cache` is null.
 */
export function drawMissing(
  specs: readonly TensorSpec[],
  tensors: Record<string, Tensor>,
  shapes: Record<string, number[]>,
  seed: Seed | undefined,
  dtype: DType,
  cache: DrawCache | null = drawCache,
): string[] {
  const missing = missingSpecs(specs, new Set(Object.keys(tensors)));
  const key = drawPlanKey(missing, shapes, seed, dtype);
  if (!cache || key === undefined) return drawAll(missing, tensors, shapes, seed, dtype);
  const hit = cache.get(key);
  if (hit) {
    Object.assign(tensors, hit.tensors);
    return [...hit.drawn];
  }
  const made: Record<string, Tensor> = {};
  const drawn = drawAll(missing, made, shapes, seed, dtype);
  cache.set(key, { tensors: made, drawn, bytes: Object.values(made).reduce((sum, t) => sum + t.data.byteLength, 0) });
  Object.assign(tensors, made);
  return [...drawn];
}

const missingSpecs = (specs: readonly TensorSpec[], given: ReadonlySet<string>) =>
  specs.filter((s) => !given.has(s.name) && s.init.kind !== 'absent' && s.init.kind !== 'derived');

/**
 * The draw cache's key for the tensors a request makes: (seed, dtype, each missing tensor's name, init
 * rule and shape in draw order). Undefined when nothing is drawn at random (nothing worth caching).
 */
export function drawPlanKey(missing: readonly TensorSpec[], shapes: Record<string, number[]>, seed: Seed | undefined, dtype: DType): string | undefined {
  if (seed === undefined || !missing.some((s) => isRandomInit(s.init))) return undefined;
  return drawKey(String(seed), dtype, missing.map((s) => [s.name, s.init, shapes[s.name]]));
}

/** drawPlanKey of a plan: what its draws will be cached under. */
export const planDrawKey = (plan: { specs: readonly TensorSpec[]; given: Record<string, unknown>; shapes: Record<string, number[]>; seed: Seed | undefined; dtype: DType }): string | undefined =>
  drawPlanKey(missingSpecs(plan.specs, new Set(Object.keys(plan.given))), plan.shapes, plan.seed, plan.dtype);

function drawAll(missing: readonly TensorSpec[], tensors: Record<string, Tensor>, shapes: Record<string, number[]>, seed: Seed | undefined, dtype: DType): string[] {
  let uniform: Uniform | undefined;
  const rng = () => (uniform ??= createGenerator(seed ?? ''));
  const drawn: string[] = [];
  for (const spec of missing) {
    const shape = shapes[spec.name];
    tensors[spec.name] = { shape: [...shape], data: draw(spec.init, numel(shape), dtype, rng) };
    if (isRandomInit(spec.init)) drawn.push(spec.name);
  }
  return drawn;
}
