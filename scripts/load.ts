/**
 * `npm run load`: the built service under autocannon for LOAD_DURATION_S (default 60) seconds at
 * LOAD_CONNECTIONS (default 32) over LOAD_MIX, after a warm-up that lasts until the service's memory
 * stops growing (slices of LOAD_WARMUP_S, default 5 s, up to LOAD_WARMUP_MAX_S, default 60 s). Prints
 * req/s, p50/p99, statuses per kind of request and RSS; exits 1 unless every valid request got a 2xx,
 * every bad one its expected 4xx, nothing crashed, and RSS grew under 20 % after the warm-up.
 *
 * RSS is sampled every RSS_SAMPLE_MS and compared as the peak of a window, not as one sample: between
 * two major GCs the event loop's heap swings by ~60 MiB under this load (scripts/lib/memory-trace.mjs
 * shows it), so one sample measures where in that swing it fell rather than growth.
 */
import { loadavg } from 'node:os';
import autocannon from 'autocannon';
import { LOAD_MIX, type MixEntry } from './load-mix.js';
import { join } from 'node:path';
import { MiB, root, rssBytes, startService, stopService } from './lib/service.js';

const durationS = Number(process.env.LOAD_DURATION_S ?? 60);
const warmupS = Number(process.env.LOAD_WARMUP_S ?? 5);
const warmupMaxS = Number(process.env.LOAD_WARMUP_MAX_S ?? 60);
const RSS_SAMPLE_MS = 250;
/** A warm-up slice whose RSS peak is within this of the previous slice's: the heap has reached its size under this load. */
const STEADY_GROWTH = 0.05;
/** The windows compared after the warm-up: the first and the last this many seconds of the run. */
const WINDOW_S = 10;
const connections = Number(process.env.LOAD_CONNECTIONS ?? 32);

type Tally = Map<string, Map<number, number>>;

/**
 * Drives `base` with the mix; counts every answer per kind and status. Each request carries its mix
 * index as x-request-id, which the service echoes: autocannon's per-request onResponse is not reliably
 * called for the request that got the answer, the echoed header is.
 */
export async function drive(base: string, mix: MixEntry[], seconds: number, tally: Tally): Promise<autocannon.Result> {
  return autocannon({
    url: base,
    connections,
    duration: seconds,
    timeout: 60,
    requests: mix.map((entry, i) => ({
      method: entry.method,
      path: entry.path,
      headers: { ...entry.headers, 'x-request-id': `load-${i}` },
      body: entry.body,
      onResponse: (status: number, _body: string, _context: unknown, headers?: Record<string, string | string[] | undefined>) => {
        const kind = mix[Number(String(headers?.['x-request-id'] ?? '').slice('load-'.length))]?.kind ?? 'unattributed';
        const byStatus = tally.get(kind) ?? new Map<number, number>();
        byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
        tally.set(kind, byStatus);
      },
    })),
  });
}

const fmt = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;

/** RSS of `pid` every RSS_SAMPLE_MS, with the time each was taken; `peak(from, to)` over a span of them. */
function sampleRss(pid: number) {
  const samples: Array<{ at: number; rss: number }> = [];
  const take = () => {
    const rss = rssBytes(pid);
    if (Number.isFinite(rss)) samples.push({ at: performance.now(), rss });
  };
  const timer = setInterval(take, RSS_SAMPLE_MS);
  take();
  return {
    peak: (from: number, to: number) => Math.max(...samples.filter((s) => s.at >= from && s.at <= to).map((s) => s.rss)),
    stop: () => clearInterval(timer),
  };
}

/**
 * Warm-up slices until the RSS peak of one is within STEADY_GROWTH of the one before: V8 grows the event
 * loop's heap under sustained load for some 30 s (74 MiB after 5 s, 145 MiB after 40 s, live data flat),
 * so a fixed 5 s warm-up stopped while the heap was still growing to its size. Returns the seconds spent.
 */
async function warmUp(base: string, rss: ReturnType<typeof sampleRss>): Promise<{ seconds: number; steady: boolean; peaks: number[] }> {
  const peaks: number[] = [];
  let seconds = 0;
  while (seconds + warmupS <= warmupMax()) {
    const from = performance.now();
    await drive(base, LOAD_MIX, warmupS, new Map());
    seconds += warmupS;
    peaks.push(rss.peak(from, performance.now()));
    if (peaks.length >= 2 && peaks.at(-1)! <= peaks.at(-2)! * (1 + STEADY_GROWTH)) return { seconds, steady: true, peaks };
  }
  return { seconds, steady: false, peaks };
}
const warmupMax = () => Math.max(warmupS, warmupMaxS);

async function main(): Promise<number> {
  // LOAD_MEMORY_TRACE=<file>: every thread of the service logs its heap, external bytes, RSS and draw cache once a second (scripts/lib/memory-trace.mjs).
  const trace = process.env.LOAD_MEMORY_TRACE;
  const service = await startService(trace ? { NODE_OPTIONS: `--import=${join(root, 'scripts/lib/memory-trace.mjs')}`, MEMORY_TRACE_FILE: trace } : {});
  const pid = service.child.pid!;
  const rssAtStart = rssBytes(pid);
  console.log(`load: service pid ${pid} on ${service.base}; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (2 cores, shared)`);
  console.log(`load: warm-up in ${warmupS} s slices until RSS peaks level off (at most ${warmupMax()} s), then ${durationS} s at ${connections} connections over ${LOAD_MIX.length} requests in rotation`);

  const rss = sampleRss(pid);
  const warm = await warmUp(service.base, rss);
  console.log(`load: warm-up ${warm.seconds} s, RSS peak per slice ${warm.peaks.map(fmt).join(', ')}${warm.steady ? '' : ' (not yet level)'}`);
  const rssAfterWarmup = rssBytes(pid);
  const runStart = performance.now();
  const tally: Tally = new Map();
  const result = await drive(service.base, LOAD_MIX, durationS, tally);
  const runEnd = performance.now();
  const rssAtEnd = rssBytes(pid);
  rss.stop();
  const window = Math.min(WINDOW_S, durationS / 3) * 1000;
  const firstPeak = rss.peak(runStart, runStart + window);
  const lastPeak = rss.peak(runEnd - window, runEnd);
  const alive = service.child.exitCode === null && (await fetch(`${service.base}/healthz`)).ok;
  const exitCode = await stopService(service);

  const total = result.requests.total;
  console.log(`\nload: ${total} requests in ${result.duration.toFixed(1)} s: ${result.requests.average.toFixed(1)} req/s (mean of per-second counts)`);
  console.log(`load: latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms`);
  console.log(`load: socket errors ${result.errors}, timeouts ${result.timeouts}`);
  const statuses = Object.entries(result.statusCodeStats ?? {}).map(([s, c]) => `${s}×${c.count}`).join(' ');
  console.log(`load: statuses ${statuses}`);

  const failures: string[] = [];
  console.log('\n| kind | expected | answers by status |\n|---|---|---|');
  const expected = new Map(LOAD_MIX.map((e) => [e.kind, e.expect]));
  if (tally.has('unattributed')) expected.set('unattributed', 0);
  for (const [kind, want] of expected) {
    const byStatus = tally.get(kind) ?? new Map<number, number>();
    const shown = [...byStatus].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ') || 'none';
    console.log(`| ${kind} | ${want} | ${shown} |`);
    const wrong = [...byStatus].filter(([s]) => s !== want).reduce((sum, [, n]) => sum + n, 0);
    if (wrong > 0) failures.push(`${kind}: ${wrong} answers other than ${want}`);
    if (byStatus.size === 0) failures.push(`${kind}: no answers`);
  }

  const growth = (lastPeak - firstPeak) / firstPeak;
  console.log(`\nload: RSS ${fmt(rssAtStart)} at start, ${fmt(rssAfterWarmup)} after warm-up, ${fmt(rssAtEnd)} at end (single samples)`);
  console.log(`load: RSS peak ${fmt(firstPeak)} in the first ${window / 1000} s after warm-up, ${fmt(lastPeak)} in the last ${window / 1000} s (${(growth * 100).toFixed(1)} %)`);
  console.log(`load: service still answering: ${alive}; exit code on SIGTERM: ${exitCode}; load average now ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  if (growth >= 0.2) failures.push(`RSS grew ${(growth * 100).toFixed(1)} % after warm-up (limit 20 %)`);
  if (!alive) failures.push('the service stopped answering');
  if (exitCode !== 0) failures.push(`exit code ${exitCode} on SIGTERM`);
  if (result.errors > 0) failures.push(`${result.errors} socket errors`);
  console.log(failures.length ? `\nload: FAILED\n  - ${failures.join('\n  - ')}` : '\nload: passed');
  return failures.length ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exit(await main());
