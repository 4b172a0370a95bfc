import seedrandom from 'seedrandom';

/** Uniforms made per refill: small enough for L1, large enough that the refill loop dominates. */
export const ALEA_BLOCK = 512;

const TWO_POW_MINUS_32 = 2.3283064365386963e-10;

/**
 * seedrandom's alea, run in bulk: seeded by seedrandom itself (Baagoe's Mash, read back with
 * `{ state: true }`), then the same recurrence t = 2091639·s0 + c·2⁻³², c = ⌊t⌋, s2 = t − c with the
 * state in local variables, ALEA_BLOCK uniforms at a time. Every t is exact in a double (s0 is a multiple
 * of 2⁻³² below 1, c < 2²¹), so splitting ⌊t⌋ as ⌊2091639·s0⌋ plus a carry gives seedrandom's bits while
 * the carry, almost never taken, no longer chains each step to the last through a float→int conversion
 * (~3× faster). Consumers read `block[pos]` and advance `pos` themselves in hot loops, next() elsewhere.
 */
export class AleaStream {
  readonly block = new Float64Array(ALEA_BLOCK);
  /** The next unread uniform of `block`; ALEA_BLOCK when it is used up. */
  pos = ALEA_BLOCK;
  // Initialized as doubles (c too: 1.5 then 1), so V8 keeps them unboxed double fields from the start.
  private s0 = 0.5;
  private s1 = 0.5;
  private s2 = 0.5;
  private c = 1.5;

  constructor(seed: string) {
    const state = seedrandom.alea(seed, { state: true }).state();
    this.s0 = state.s0;
    this.s1 = state.s1;
    this.s2 = state.s2;
    this.c = state.c;
  }

  /** Overwrites `block` with the next ALEA_BLOCK uniforms (call only when it is used up). */
  refill(): void {
    let { s0, s1, s2, c } = this;
    const out = this.block;
    for (let i = 0; i < ALEA_BLOCK; i++) {
      const product = 2091639 * s0;
      const whole = Math.floor(product);
      let u = product - whole + c * TWO_POW_MINUS_32;
      s0 = s1;
      s1 = s2;
      if (u >= 1) {
        u -= 1;
        c = whole + 1;
      } else c = whole;
      s2 = u;
      out[i] = u;
    }
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.c = c;
    this.pos = 0;
  }

  /** The next uniform on [0, 1), a multiple of 2⁻³²: seedrandom.alea's next value. */
  next(): number {
    if (this.pos === ALEA_BLOCK) this.refill();
    return this.block[this.pos++];
  }
}
