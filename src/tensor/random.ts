import { AleaStream } from './alea.js';
import type { TensorData } from './tensor.js';

export { fillNormal, NORMAL_TRANSFORM } from './ziggurat.js';

/** A request's one stream of uniforms on [0, 1). Never global: made from the request's seed. */
export type Uniform = AleaStream;

/**
 * The generator every seeded draw comes from, as the responses name it: seedrandom's alea (Baagoe's
 * Alea, 32-bit uniforms), seeded by seedrandom and run in bulk by AleaStream with the same bits. It is
 * plain double arithmetic, so the same seed gives the same uniforms on every machine and engine.
 */
export const GENERATOR = 'seedrandom.alea';

export function createGenerator(seed: string | number): Uniform {
  return new AleaStream(String(seed));
}

/** Fill `out` with U(low, high) draws in index order, one uniform per element. */
export function fillUniform(out: TensorData, uniform: Uniform, low: number, high: number): TensorData {
  const width = high - low;
  for (let i = 0; i < out.length; i++) out[i] = low + width * uniform.next();
  return out;
}
