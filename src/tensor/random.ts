import seedrandom from 'seedrandom';
import type { TensorData } from './tensor.js';

/** A request's one uniform generator on [0, 1). Never global: made from the request's seed. */
export type Uniform = () => number;

export function createGenerator(seed: string | number): Uniform {
  return seedrandom(String(seed));
}

/**
 * Standard normal draws by Box–Muller. Each pair of uniforms (u1, u2) gives two normals,
 * r·cos(2πu2) then r·sin(2πu2), with r = √(−2 ln(1 − u1)); 1 − u1 ∈ (0, 1] so log(0) can't happen.
 */
export class NormalSampler {
  private spare: number | undefined;

  constructor(private readonly uniform: Uniform) {}

  next(): number {
    if (this.spare !== undefined) {
      const z = this.spare;
      this.spare = undefined;
      return z;
    }
    const u1 = 1 - this.uniform();
    const u2 = this.uniform();
    const radius = Math.sqrt(-2 * Math.log(u1));
    const angle = 2 * Math.PI * u2;
    this.spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  }

  /** Fill `out` with N(mean, std²) draws in index order. */
  fill(out: TensorData, std: number, mean = 0): TensorData {
    for (let i = 0; i < out.length; i++) out[i] = mean + std * this.next();
    return out;
  }
}

/** Fill `out` with U(low, high) draws in index order, one uniform per element. */
export function fillUniform(out: TensorData, uniform: Uniform, low: number, high: number): TensorData {
  const width = high - low;
  for (let i = 0; i < out.length; i++) out[i] = low + width * uniform();
  return out;
}
