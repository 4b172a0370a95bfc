/**
 * Standard normals by Marsaglia and Tsang's Ziggurat (2000) with 256 layers, over alea uniforms. The
 * main path (~99 % of draws) is a table look-up, a multiply and a compare; the wedge and the tail use
 * portableExp/portableLog, and the tables are computed here at load by the same arithmetic, so the
 * values are the same bits on every engine (test/fixtures/random/make_alea.py computes them in Python).
 * Each attempt reads two uniforms as 32-bit words: the first's low 8 bits pick the layer, its high 20
 * bits and the second's 32 form a 52-bit position, taken at the midpoint of its cell on (−1, 1).
 */
import { TWO_POW_MINUS_32, type AleaStream } from './alea.js';
import { portableExp, portableLog } from './portable-math.js';
import type { TensorData } from './tensor.js';

export const NORMAL_TRANSFORM = 'ziggurat-256';

/** The base layer's right edge r and every layer's area v, with r solved (mpmath, 50 digits) so that the top layer's area is v. */
export const ZIGGURAT_R = 3.654152885361009;
export const ZIGGURAT_V = 0.004928673233974655;

const LAYERS = 256;
const TWO_POW_32 = 4294967296;
const TWO_POW_MINUS_51 = 4.440892098500626e-16;
/** (2^51 − ½): a 52-bit integer j minus this is the midpoint (j + ½) − 2^51 of its cell, never 0. */
const HALF_RANGE = 2251799813685247.5;

const density = (x: number) => portableExp(-0.5 * x * x);

/** Layer edges, decreasing: X[0] = v/f(r) is the base layer's width with the tail folded in, X[1] = r, X[256] = 0. */
export const ZIGGURAT_X = new Float64Array(LAYERS + 1);
/** f at each edge, increasing to F[256] = 1. */
export const ZIGGURAT_F = new Float64Array(LAYERS + 1);
/** X[i]·2⁻⁵¹: a signed 52-bit position times this is a point of layer i on (−X[i], X[i]). */
const SCALE = new Float64Array(LAYERS);

ZIGGURAT_X[0] = ZIGGURAT_V / density(ZIGGURAT_R);
ZIGGURAT_X[1] = ZIGGURAT_R;
for (let i = 2; i < LAYERS; i++) {
  const x = ZIGGURAT_X[i - 1];
  ZIGGURAT_X[i] = Math.sqrt(-2 * portableLog(ZIGGURAT_V / x + density(x)));
}
for (let i = 0; i <= LAYERS; i++) ZIGGURAT_F[i] = density(ZIGGURAT_X[i]);
for (let i = 0; i < LAYERS; i++) SCALE[i] = ZIGGURAT_X[i] * TWO_POW_MINUS_51;

/** Beyond r (Marsaglia 1964): r + a with a = −ln(1 − u)/r, accepted when −2 ln(1 − u′) > a². */
function tail(stream: AleaStream, x: number): number {
  let a: number;
  let b: number;
  do {
    a = -portableLog(1 - stream.next()) / ZIGGURAT_R;
    b = -portableLog(1 - stream.next());
  } while (b + b < a * a);
  return x < 0 ? -(ZIGGURAT_R + a) : ZIGGURAT_R + a;
}

/** Between layer i's inner and outer edge: x when a uniform height in the layer falls under f(x). */
function wedge(stream: AleaStream, layer: number, x: number): number | undefined {
  const height = ZIGGURAT_F[layer] + (ZIGGURAT_F[layer + 1] - ZIGGURAT_F[layer]) * stream.next();
  return height < density(x) ? x : undefined;
}

/** Fill `out` with N(mean, std²) draws in index order, each from as many attempts as it takes. */
export function fillNormal(out: TensorData, stream: AleaStream, std: number, mean = 0): TensorData {
  // Everything the loop reads is local: module-level bindings are re-read from their cells on every pass.
  const edges = ZIGGURAT_X;
  const scale = SCALE;
  const twoPow32 = TWO_POW_32;
  const twoPowMinus32 = TWO_POW_MINUS_32;
  const halfRange = HALF_RANGE;
  let { s0, s1, s2, c } = stream;
  for (let i = 0; i < out.length; i++) {
    for (;;) {
      // Two alea steps (AleaStream.next, inline: a method call per uniform costs ~2× here).
      let product = 2091639 * s0;
      let whole = Math.floor(product);
      let first = product - whole + c * twoPowMinus32;
      s0 = s1;
      s1 = s2;
      if (first >= 1) {
        first -= 1;
        c = whole + 1;
      } else c = whole;
      s2 = first;
      product = 2091639 * s0;
      whole = Math.floor(product);
      let second = product - whole + c * twoPowMinus32;
      s0 = s1;
      s1 = s2;
      if (second >= 1) {
        second -= 1;
        c = whole + 1;
      } else c = whole;
      s2 = second;
      const word = first * twoPow32;
      const layer = word & 255;
      const x = ((word >>> 12) * twoPow32 + second * twoPow32 - halfRange) * scale[layer];
      if (Math.abs(x) < edges[layer + 1]) {
        out[i] = mean + std * x;
        break;
      }
      Object.assign(stream, { s0, s1, s2, c });
      const z = layer === 0 ? tail(stream, x) : wedge(stream, layer, x);
      ({ s0, s1, s2, c } = stream);
      if (z !== undefined) {
        out[i] = mean + std * z;
        break;
      }
    }
  }
  Object.assign(stream, { s0, s1, s2, c });
  return out;
}
