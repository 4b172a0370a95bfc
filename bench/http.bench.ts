/**
 * HTTP throughput with autocannon against the service (its own process, default config) and, in the
 * same run, a bare Fastify route validating a small JSON body: req/s, p50/p99 and non-2xx at 50
 * connections, and what the service's x-memo header said of the answers. The notebook pass three ways:
 * a repeated body (answered from the response memo), Cache-Control: no-cache on every request (every
 * request computes; its draws come from the draw cache) and a distinct seed per request (every request
 * draws and computes). Then /healthz latency while 50 connections of heavy forward passes saturate the CPUs,
 * and while 4 connections ask for the largest SVG sweep; cold start to the first /healthz and idle RSS.
 * Everything runs on 127.0.0.1.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const DURATION_S = Number(process.env.BENCH_HTTP_SECONDS ?? 10);

const port = () => 20_000 + Math.floor(Math.random() * 30_000);

async function start(script: string, env: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string; coldMs: number }> {
  const p = port();
  const t0 = performance.now();
  // TypeScript (the bare baseline) through tsx; the service as it ships, from dist/ (npm run bench builds it first).
  const args = script.endsWith('.ts') ? ['--import', 'tsx', script] : [script];
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, PORT: String(p), HOST: '127.0.0.1', LOG_LEVEL: 'silent', ...env }, stdio: 'ignore' });
  const url = `http://127.0.0.1:${p}`;
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { child, url, coldMs: performance.now() - t0 };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill();
  throw new Error(`${script} did not start`);
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
}

interface Load {
  url: string;
  body?: object;
  connections?: number;
  /** Extra request headers (Cache-Control: no-cache makes the service recompute). */
  headers?: Record<string, string>;
  /** Send the body with a seed of its own on every request (every request draws and computes). */
  distinctSeeds?: boolean;
}

async function load({ url, body, connections = 50, headers = {}, distinctSeeds = false }: Load, duration = DURATION_S) {
  const memo: Record<string, number> = {};
  let seed = 1_000_000;
  const r = await autocannon({
    url,
    connections,
    duration,
    method: body ? 'POST' : 'GET',
    headers: body ? { 'content-type': 'application/json', ...headers } : headers,
    body: body ? JSON.stringify(body) : undefined,
    requests: [
      {
        ...(distinctSeeds ? { setupRequest: (request: { body?: string }) => ({ ...request, body: JSON.stringify({ ...body, seed: seed++ }) }) } : {}),
        // What the service said it did, from its x-memo header (none on /healthz or the bare route).
        onResponse: (_status: number, _body: string, _context: unknown, responseHeaders: Record<string, string> = {}) => {
          const state = responseHeaders['x-memo'];
          if (state) memo[state] = (memo[state] ?? 0) + 1;
        },
      },
    ],
  } as autocannon.Options);
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx + r.errors + r.timeouts, memo };
}

const line = (label: string, r: Awaited<ReturnType<typeof load>>, baseline?: number) => {
  const states = Object.entries(r.memo).map(([state, n]) => `${state} ${n}`).join(', ');
  return (
    `${label.padEnd(54)} ${r.rps.toFixed(0).padStart(7)} req/s  p50 ${String(r.p50).padStart(4)} ms  p99 ${String(r.p99).padStart(4)} ms  non-2xx ${r.non2xx}` +
    `${baseline ? `  ${(r.rps / baseline).toFixed(2)}× bare` : ''}${states ? `  x-memo: ${states}` : ''}`
  );
};

const SERVICE = 'dist/server.js';
const NO_CACHE = { 'cache-control': 'no-cache' };

const NOTEBOOK_LORA = { seed: 42, batch: 4, seq: 16, in_features: 512, out_features: 512, r: 16, lora_alpha: 16, init: 'random', output: 'summary' };
const ACCOUNTING_7B = { model: { preset: 'meta-llama/Llama-2-7b-hf' }, task_type: 'CAUSAL_LM', peft: { peft_type: 'LORA', r: 16, lora_alpha: 32, target_modules: ['q_proj', 'v_proj'] } };
/** A parameters sweep at the SVG cap: 1,000 accountings on the event loop in 4 ms slices, then its render on the chart thread. */
const SVG_SWEEP = { target: 'parameters', base: { model: { preset: 'meta-llama/Llama-2-7b-hf' }, peft: { peft_type: 'LORA', r: 16, lora_alpha: 32, target_modules: ['q_proj', 'v_proj'] } }, axes: [{ path: 'peft.r', from: 1, to: 1000, steps: 1000, scale: 'linear' }], metrics: ['trainable_params', 'trainable_percent'], format: 'svg' };
const HEAVY_LORA = { seed: 7, batch: 4, seq: 256, in_features: 1024, out_features: 1024, r: 16, init: 'random', output: 'summary' };

export default async function run(): Promise<void> {
  const bare = await start('bench/bare-server.ts');
  const service = await start(SERVICE);
  try {
    console.log(`autocannon, ${DURATION_S} s per line, 50 connections unless stated; cold start = spawn to first /healthz 200 (the service from dist/, the bare route through tsx)`);
    const baseline = await load({ url: `${bare.url}/echo`, body: { r: 16, lora_alpha: 32, target_modules: ['q_proj', 'v_proj'] } });
    console.log(line('bare Fastify + zod, small JSON body', baseline));
    const lora = `${service.url}/v1/forward/lora`;
    const float32 = { ...NOTEBOOK_LORA, dtype: 'float32' };
    await load({ url: lora, body: NOTEBOOK_LORA, headers: NO_CACHE }, 2); // warm: sessions, draw caches
    await load({ url: lora, body: float32, headers: NO_CACHE }, 2);
    console.log(line('POST /v1/forward/lora notebook, summary, repeated body', await load({ url: lora, body: NOTEBOOK_LORA }), baseline.rps));
    console.log(line('  the same in float32', await load({ url: lora, body: float32 }), baseline.rps));
    console.log(line('  Cache-Control: no-cache (computes, draws cached)', await load({ url: lora, body: NOTEBOOK_LORA, headers: NO_CACHE }), baseline.rps));
    console.log(line('  the same in float32', await load({ url: lora, body: float32, headers: NO_CACHE }), baseline.rps));
    console.log(line('  a distinct seed per request (draws, computes)', await load({ url: lora, body: NOTEBOOK_LORA, distinctSeeds: true }), baseline.rps));
    // Whether passes should skip the pool: the same pass sent to the worker threads (one ORT thread each).
    const pooled = await start(SERVICE, { WORKER_THRESHOLD_MS: '0' });
    try {
      const pooledLora = `${pooled.url}/v1/forward/lora`;
      await load({ url: pooledLora, body: NOTEBOOK_LORA, headers: NO_CACHE }, 2);
      console.log(line('  no-cache float64 on the worker pool', await load({ url: pooledLora, body: NOTEBOOK_LORA, headers: NO_CACHE }), baseline.rps));
    } finally {
      pooled.child.kill();
    }
    const parameters = `${service.url}/v1/parameters`;
    console.log(line('POST /v1/parameters Llama-2-7b preset, repeated body', await load({ url: parameters, body: ACCOUNTING_7B }), baseline.rps));
    console.log(line('  Cache-Control: no-cache (counts every request)', await load({ url: parameters, body: ACCOUNTING_7B, headers: NO_CACHE }), baseline.rps));
    const [heavy, health] = await Promise.all([
      load({ url: lora, body: HEAVY_LORA, headers: NO_CACHE }),
      load({ url: `${service.url}/healthz`, connections: 1 }),
    ]);
    console.log(line('POST /v1/forward/lora 1024×1024, no-cache (saturating)', heavy));
    console.log(line('  GET /healthz meanwhile, 1 connection', health));
    const [sweeps, healthDuringSweeps] = await Promise.all([
      load({ url: `${service.url}/v1/sweeps`, body: SVG_SWEEP, connections: 4 }),
      load({ url: `${service.url}/healthz`, connections: 1 }),
    ]);
    console.log(line('POST /v1/sweeps 1,000 ranks as SVG (2,000 marks), 4 conns', sweeps));
    console.log(line('  GET /healthz meanwhile, 1 connection', healthDuringSweeps));
    console.log(`cold start: service ${service.coldMs.toFixed(0)} ms, bare ${bare.coldMs.toFixed(0)} ms; RSS after the run: service ${rssMb(service.child.pid!).toFixed(0)} MB`);
    const idle = await start(SERVICE);
    await new Promise((r) => setTimeout(r, 500));
    console.log(`idle RSS of a fresh service (no pass run yet): ${rssMb(idle.child.pid!).toFixed(0)} MB, bare Fastify ${rssMb(bare.child.pid!).toFixed(0)} MB`);
    idle.child.kill();
  } finally {
    bare.child.kill();
    service.child.kill();
  }
}
