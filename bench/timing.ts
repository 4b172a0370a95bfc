/** Shared timing helper for benchmarks: median ns per call over repeated batches, after a warm-up. */
export interface Timing {
  median_ns: number;
  calls: number;
}

export function timeIt(fn: () => unknown, { minMs = 200, batches = 15 }: { minMs?: number; batches?: number } = {}): Timing {
  // Warm up and size a batch so that each batch takes about minMs / batches.
  let n = 1;
  for (;;) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn();
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (ms >= minMs / batches) break;
    n *= 2;
  }
  const samples: number[] = [];
  for (let b = 0; b < batches; b++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn();
    samples.push(Number(process.hrtime.bigint() - t0) / n);
  }
  samples.sort((a, b) => a - b);
  return { median_ns: samples[Math.floor(samples.length / 2)], calls: n * batches };
}

export const fmtNs = (ns: number): string =>
  ns >= 1e9 ? `${(ns / 1e9).toFixed(3)} s` : ns >= 1e6 ? `${(ns / 1e6).toFixed(3)} ms` : ns >= 1e3 ? `${(ns / 1e3).toFixed(2)} µs` : `${ns.toFixed(0)} ns`;
