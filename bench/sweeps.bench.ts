/**
 * Sweeps amortise: a 1,000-point LoRA rank sweep (r = 1…1000) on Llama-2-7B as one POST /v1/sweeps,
 * against the same 1,000 points as single POST /v1/parameters requests, both over real HTTP to one
 * server on a random local port, sequential, in the same run (the issue asks for ≥ 5×). In-process
 * lines separate what the amortisation saves from what HTTP costs.
 */
import { loadavg } from 'node:os';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { computeParameters } from '../src/peft/accounting/report.js';
import { runSweepSync } from '../src/peft/sweeps/engine.js';
import { parametersTarget } from '../src/peft/sweeps/targets.js';
import { ParametersRequestSchema } from '../src/schemas/parameters.js';
import { medianMs } from './async-timing.js';
import { fmtNs } from './timing.js';

const POINTS = 1000;
const ROUNDS = 3;
/** In-process runs are shorter and noisier under the shared load: more of them. */
const ROUNDS_IN_PROCESS = 7;
const BASE = { model: { preset: 'meta-llama/Llama-2-7b-hf' }, peft: { peft_type: 'LORA', r: 8, lora_alpha: 16, target_modules: ['q_proj', 'v_proj'] } };
const SWEEP = { target: 'parameters', base: BASE, axes: [{ path: 'peft.r', from: 1, to: POINTS, steps: POINTS }], metrics: ['trainable_params', 'trainable_percent'] };
const single = (r: number) => ({ ...BASE, peft: { ...BASE.peft, r } });

/** The median wall time in ns of `rounds` runs of an async job, without a warm-up run. */
const median = async (job: () => Promise<void>, rounds = ROUNDS) => (await medianMs(job, rounds, 0)) * 1e6;

export default async function bench(): Promise<void> {
  console.log(`load average before: ${loadavg().map((l) => l.toFixed(2)).join(' ')} (2 cores, shared)`);
  const app = buildApp({ ...loadConfig({}), logLevel: 'silent', host: '127.0.0.1' });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const post = async (url: string, body: object) => {
      const res = await fetch(`${address}${url}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (res.status !== 200) throw new Error(`${url}: ${res.status} ${await res.text()}`);
      return res.json() as Promise<Record<string, unknown>>;
    };
    // Same answers first: the sweep's point r equals the single request with r.
    const sweep = (await post('/v1/sweeps', SWEEP)) as { points: Array<{ metrics: { trainable_params: number } }> };
    for (const r of [1, 500, POINTS]) {
      const one = await post('/v1/parameters', single(r));
      if (one.trainable_params !== sweep.points[r - 1].metrics.trainable_params) throw new Error(`r=${r}: sweep and single request disagree`);
    }
    const singles = await median(async () => {
      for (let r = 1; r <= POINTS; r++) await post('/v1/parameters', single(r));
    });
    const swept = await median(async () => {
      await post('/v1/sweeps', SWEEP);
    });
    const limits = { maxPoints: 10_000, maxFlops: Infinity, maxBytes: Infinity };
    const engine = await median(async () => {
      runSweepSync(parametersTarget, { base: BASE, axes: [{ path: 'peft.r', from: 1, to: POINTS, steps: POINTS, scale: 'linear' }], metrics: ['trainable_params'] }, limits);
    }, ROUNDS_IN_PROCESS);
    const perPoint = await median(async () => {
      for (let r = 1; r <= POINTS; r++) computeParameters(ParametersRequestSchema.parse(single(r)));
    }, ROUNDS_IN_PROCESS);
    console.log(`${POINTS}-point LoRA rank sweep, Llama-2-7B, median of ${ROUNDS}:`);
    console.log(`  ${POINTS} × POST /v1/parameters over HTTP   ${fmtNs(singles).padStart(11)}  (baseline)`);
    console.log(`  1 × POST /v1/sweeps over HTTP           ${fmtNs(swept).padStart(11)}  ${(singles / swept).toFixed(1)}× faster (issue 8 asks ≥ 5×)`);
    // Single requests already find the inventory in the LRU cache, so in process the sweep saves only that lookup; the rest is HTTP.
    console.log(`  in process, ${POINTS} × parse + computeParameters     ${fmtNs(perPoint).padStart(11)}  (median of ${ROUNDS_IN_PROCESS})`);
    console.log(`  in process, runSweepSync (inventory once)       ${fmtNs(engine).padStart(11)}  ${(perPoint / engine).toFixed(2)}× the per-point time`);
    console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  } finally {
    await app.close();
  }
}
