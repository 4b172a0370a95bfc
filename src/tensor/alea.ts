import seedrandom from 'seedrandom';

export const TWO_POW_MINUS_32 = 2.3283064365386963e-10;

/**
 * seedrandom's alea with its state in the open: seeded by seedrandom itself (Baagoe's Mash, read back
 * with `{ state: true }`), then the same recurrence t = 2091639·s0 + c·2⁻³², c = ⌊t⌋, s2 = t − c. Every t
 * is exact in a double (s0 is a multiple of 2⁻³² below 1, c < 2²¹), so ⌊t⌋ may be split as
 * ⌊2091639·s0⌋ plus a carry: the same bits, but the carry is almost never taken, so a step no longer
 * waits on the last one's float→int conversion (~3× faster in a loop). Hot loops (fillNormal) copy the
 * state into locals, run the step inline and write it back; everything else calls next().
 */
export class AleaStream {
  // Initialized as doubles (c too), so V8 keeps them unboxed double fields from the start.
  s0 = 0.5;
  s1 = 0.5;
  s2 = 0.5;
  c = 1.5;

  constructor(seed: string) {
    const state = seedrandom.alea(seed, { state: true }).state();
    this.s0 = state.s0;
    this.s1 = state.s1;
    this.s2 = state.s2;
    this.c = state.c;
  }

  /** The next uniform on [0, 1), a multiple of 2⁻³²: seedrandom.alea's next value. */
  next(): number {
    const product = 2091639 * this.s0;
    const whole = Math.floor(product);
    let u = product - whole + this.c * TWO_POW_MINUS_32;
    this.s0 = this.s1;
    this.s1 = this.s2;
    if (u >= 1) {
      u -= 1;
      this.c = whole + 1;
    } else this.c = whole;
    this.s2 = u;
    return u;
  }
}
