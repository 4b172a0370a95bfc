/** One call's wall time in ms. */
export async function elapsedMs(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/** Median ms of an async call over `reps` runs after `warmups` unmeasured calls (sessions build on the warm-up). */
export async function medianMs(fn: () => Promise<unknown>, reps: number, warmups = 1): Promise<number> {
  for (let i = 0; i < warmups; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) times.push(await elapsedMs(fn));
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}
