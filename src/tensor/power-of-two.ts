/**
 * A power of two near max |v|: dividing by it is exact for normal results and keeps squares and sums from
 * overflowing or underflowing. The exponent stays in [−1022, 1023]: 2^1024 is Infinity (values above 2^1023
 * would all scale to 0), and a subnormal maxAbs already divides exactly by 2^−1022.
 */
export function powerOfTwoScale(maxAbs: number): number {
  return maxAbs > 0 ? 2 ** Math.max(-1022, Math.min(1023, Math.ceil(Math.log2(maxAbs)))) : 1;
}
