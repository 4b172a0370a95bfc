/** GPUs by name with their nominal memory (GiB as the vendors' "GB" means for HBM / GDDR capacity). */
import { invalidInput } from '../../errors.js';

export interface GpuSpec {
  name: string;
  bytes: number;
}

const G = 2 ** 30;

export const GPU_CATALOGUE: readonly GpuSpec[] = [
  { name: 'T4-16GB', bytes: 16 * G },
  { name: 'V100-16GB', bytes: 16 * G },
  { name: 'V100-32GB', bytes: 32 * G },
  { name: 'RTX-3090-24GB', bytes: 24 * G },
  { name: 'RTX-4090-24GB', bytes: 24 * G },
  { name: 'A10G-24GB', bytes: 24 * G },
  { name: 'L4-24GB', bytes: 24 * G },
  { name: 'A100-40GB', bytes: 40 * G },
  { name: 'A6000-48GB', bytes: 48 * G },
  { name: 'L40S-48GB', bytes: 48 * G },
  { name: 'A100-80GB', bytes: 80 * G },
  { name: 'H100-80GB', bytes: 80 * G },
  { name: 'H200-141GB', bytes: 141 * G },
];

export const DEFAULT_GPUS = ['T4-16GB', 'RTX-4090-24GB', 'A100-40GB', 'A100-80GB', 'H100-80GB'];

/** A GPU is a catalogue name, or any name with its bytes; a name we don't know without bytes is an unknown shape (400). */
export function resolveGpus(gpus: Array<{ name: string; bytes?: number }>): GpuSpec[] {
  return gpus.map((g, i) => {
    if (g.bytes !== undefined) {
      if (!Number.isInteger(g.bytes) || g.bytes < 1)
        throw invalidInput(`gpus[${i}].bytes must be a positive integer.`, [{ path: `body.gpus.${i}.bytes`, message: 'must be a positive integer number of bytes' }]);
      return { name: g.name, bytes: g.bytes };
    }
    const known = GPU_CATALOGUE.find((c) => c.name.toLowerCase() === g.name.toLowerCase());
    if (!known)
      throw invalidInput(`Unknown GPU "${g.name}"; give its bytes or use one of: ${GPU_CATALOGUE.map((c) => c.name).join(', ')}.`, [
        { path: `body.gpus.${i}.name`, message: `unknown GPU "${g.name}" and no bytes given` },
      ]);
    return known;
  });
}

export interface GpuFit {
  name: string;
  bytes: number;
  fits: boolean;
  headroom_bytes: number;
  /** Largest micro-batch whose estimate fits (0: not even one sample; at most MAX_MICRO_BATCH); null when the estimate ignores batch size. */
  max_micro_batch: number | null;
}

/** The largest micro-batch the estimate routes accept (and so the largest one the search reports). */
export const MAX_MICRO_BATCH = 65536;

/** Largest b ≤ MAX_MICRO_BATCH with fixed + b·perSample ≤ bytes, in exact integer arithmetic (a float quotient can round up past the boundary). */
export function maxMicroBatch(bytes: number, fixed: number, perSample: number): number {
  const room = BigInt(bytes) - BigInt(fixed);
  if (room < 0n) return 0;
  const b = room / BigInt(perSample);
  return b > BigInt(MAX_MICRO_BATCH) ? MAX_MICRO_BATCH : Number(b);
}

export function fitOnGpus(gpus: GpuSpec[], total: number, fixed: number, perSample: number): GpuFit[] {
  return gpus.map((g) => ({
    name: g.name,
    bytes: g.bytes,
    fits: total <= g.bytes,
    headroom_bytes: g.bytes - total,
    max_micro_batch: perSample > 0 ? maxMicroBatch(g.bytes, fixed, perSample) : null,
  }));
}
