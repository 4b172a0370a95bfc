/**
 * Relative closeness as the goldens use it: every element within rtol of the expected value,
 * |a − e| ≤ rtol·max(|e|, floor·‖e‖∞). The floor (1e-3 of the tensor's largest magnitude) keeps
 * elements that cancel to near zero from demanding more digits than the arithmetic has.
 */
export const RELATIVE_FLOOR = 1e-3;

export interface Closeness {
  ok: boolean;
  worst: number;
  at: number;
}

export function relativeCloseness(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol: number, floor = RELATIVE_FLOOR): Closeness {
  if (actual.length !== expected.length) return { ok: false, worst: Infinity, at: -1 };
  let maxAbs = 0;
  for (let i = 0; i < expected.length; i++) maxAbs = Math.max(maxAbs, Math.abs(expected[i]));
  let worst = 0;
  let at = -1;
  for (let i = 0; i < expected.length; i++) {
    const scale = Math.max(Math.abs(expected[i]), floor * maxAbs);
    const err = scale === 0 ? Math.abs(actual[i]) : Math.abs(actual[i] - expected[i]) / scale;
    if (!(err <= worst)) {
      worst = err;
      at = i;
    }
  }
  return { ok: worst <= rtol, worst, at };
}

export const RTOL: Record<'float64' | 'float32', number> = { float64: 1e-12, float32: 1e-5 };
