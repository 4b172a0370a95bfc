/**
 * exp and log in plain IEEE double arithmetic (+ − × ÷, floor/trunc, comparisons), so every JS engine
 * and test/fixtures/random/make_alea.py's Python twin give the same bits; Math.exp/log are each
 * engine's own (V8's fdlibm, glibc, …) and may round apart. The algorithms are fdlibm's e_exp.c and
 * e_log.c (within 1 ulp), with the exponent found by exact scalings by powers of 2 instead of bit access.
 */

const LN2_HI = 6.93147180369123816490e-1;
const LN2_LO = 1.90821492927058770002e-10;
const INV_LN2 = 1.44269504088896338700e0;
const HALF_LN2 = 0.34657359027997264;
const EXP_P1 = 1.66666666666666019037e-1;
const EXP_P2 = -2.77777777770155933842e-3;
const EXP_P3 = 6.61375632143793436117e-5;
const EXP_P4 = -1.65339022054652515390e-6;
const EXP_P5 = 4.13813679705723846039e-8;
const EXP_OVERFLOW = 7.09782712893383973096e2;
const EXP_UNDERFLOW = -7.45133219101941108420e2;
const TWO_POW_28 = 268435456;

/** 2^k for k in [−1022, 1023], by exact doublings (2 ** k is the engine's pow). */
const POW2 = new Float64Array(2046);
POW2[1022] = 1;
for (let k = 1; k <= 1023; k++) POW2[1022 + k] = POW2[1021 + k] * 2;
for (let k = 1; k <= 1022; k++) POW2[1022 - k] = POW2[1023 - k] * 0.5;
const TWO_POW_MINUS_1000 = POW2[22];

/** e^x for any double x. */
export function portableExp(x: number): number {
  if (x !== x) return x;
  if (x > EXP_OVERFLOW) return Infinity;
  if (x < EXP_UNDERFLOW) return 0;
  const ax = Math.abs(x);
  if (ax * TWO_POW_28 < 1) return 1 + x;
  let k = 0;
  let hi = x;
  let lo = 0;
  if (ax > HALF_LN2) {
    k = Math.trunc(INV_LN2 * x + (x < 0 ? -0.5 : 0.5));
    hi = x - k * LN2_HI;
    lo = k * LN2_LO;
  }
  const r = hi - lo;
  const t = r * r;
  const c = r - t * (EXP_P1 + t * (EXP_P2 + t * (EXP_P3 + t * (EXP_P4 + t * EXP_P5))));
  if (k === 0) return 1 - ((r * c) / (c - 2) - r);
  const y = 1 - (lo - (r * c) / (2 - c) - hi);
  // fdlibm adds k to the exponent; at 2^1024 it doubles 2^1023, below 2^−1021 it scales in two steps so that only the last rounds.
  if (k > 1023) return y * 2 * POW2[2045];
  return k >= -1021 ? y * POW2[1022 + k] : y * POW2[2022 + k] * TWO_POW_MINUS_1000;
}

const LG1 = 6.666666666666735130e-1;
const LG2 = 3.999999999940941908e-1;
const LG3 = 2.857142874366239149e-1;
const LG4 = 2.222219843214978396e-1;
const LG5 = 1.818357216161805012e-1;
const LG6 = 1.531383769920937332e-1;
const LG7 = 1.479819860511658591e-1;
const SQRT_HALF = 0.7071067811865476;
const SQRT_TWO = 1.4142135623730951;
const TWO_POW_32 = 4294967296;
const TWO_POW_MINUS_32 = 2.3283064365386963e-10;

/** ln x for x > 0 (NaN below 0, −Infinity at 0, Infinity at Infinity). */
export function portableLog(x: number): number {
  if (!(x > 0)) return x === 0 ? -Infinity : NaN;
  if (x === Infinity) return x;
  // x = m·2^k with m in [√½, √2), by exact scalings (at most 32 + 32 single steps).
  let m = x;
  let k = 0;
  while (m < TWO_POW_MINUS_32) {
    m *= TWO_POW_32;
    k -= 32;
  }
  while (m > TWO_POW_32) {
    m *= TWO_POW_MINUS_32;
    k += 32;
  }
  while (m < SQRT_HALF) {
    m *= 2;
    k -= 1;
  }
  while (m >= SQRT_TWO) {
    m *= 0.5;
    k += 1;
  }
  const f = m - 1;
  const s = f / (2 + f);
  const z = s * s;
  const w = z * z;
  const r = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7))) + w * (LG2 + w * (LG4 + w * LG6));
  const hfsq = 0.5 * f * f;
  if (k === 0) return f - (hfsq - s * (hfsq + r));
  return k * LN2_HI - (hfsq - (s * (hfsq + r) + k * LN2_LO) - f);
}
