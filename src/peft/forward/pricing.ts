/**
 * A pass priced in expected milliseconds of one core, from its FLOPs, the engine that runs it and its
 * seeded draws. The rates are conservative single-thread figures measured by `npm run bench` on the
 * 2-core reference machine; they decide where a pass runs and how long the worker queue may grow,
 * not what any response reports (timings are measured).
 */
import type { DType } from '../../tensor/tensor.js';
import type { Cost, Engine } from './types.js';

/** FLOPs per millisecond (GFLOP/s × 1e6), per engine and dtype. */
export const FLOPS_PER_MS: Record<Engine, Record<DType, number>> = {
  onnxruntime: { float32: 60e6, float64: 25e6 },
  reference: { float32: 0.7e6, float64: 0.7e6 },
};

/** One seeded normal or uniform draw (alea uniforms, Ziggurat normals), in milliseconds: 5–22 ns measured at load 0.5–3 (npm run bench). */
export const DRAW_MS = 25e-6;

export const estimateMs = (cost: Pick<Cost, 'flops' | 'drawn_elements'>, engine: Engine, dtype: DType): number =>
  cost.flops / FLOPS_PER_MS[engine][dtype] + cost.drawn_elements * DRAW_MS;
