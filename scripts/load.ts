/**
 * `npm run load`: the built service under autocannon for LOAD_DURATION_S (default 60) seconds at
 * LOAD_CONNECTIONS (default 32) over LOAD_MIX, after a LOAD_WARMUP_S (default 5) warm-up. Prints
 * req/s, p50/p99, statuses per kind of request and RSS; exits 1 unless every valid request got a 2xx,
 * every bad one its expected 4xx, nothing crashed, and RSS grew under 20 % after the warm-up.
 */
import { loadavg } from 'node:os';
import autocannon from 'autocannon';
import { LOAD_MIX, type MixEntry } from './load-mix.js';
import { MiB, rssBytes, startService, stopService } from './lib/service.js';

const durationS = Number(process.env.LOAD_DURATION_S ?? 60);
const warmupS = Number(process.env.LOAD_WARMUP_S ?? 5);
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

async function main(): Promise<number> {
  const service = await startService();
  const pid = service.child.pid!;
  const rssAtStart = rssBytes(pid);
  console.log(`load: service pid ${pid} on ${service.base}; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (2 cores, shared)`);
  console.log(`load: warm-up ${warmupS} s, then ${durationS} s at ${connections} connections over ${LOAD_MIX.length} requests in rotation`);

  await drive(service.base, LOAD_MIX, warmupS, new Map());
  const rssAfterWarmup = rssBytes(pid);
  const tally: Tally = new Map();
  const result = await drive(service.base, LOAD_MIX, durationS, tally);
  const rssAtEnd = rssBytes(pid);
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

  const growth = (rssAtEnd - rssAfterWarmup) / rssAfterWarmup;
  console.log(`\nload: RSS ${fmt(rssAtStart)} at start, ${fmt(rssAfterWarmup)} after warm-up, ${fmt(rssAtEnd)} at end (${(growth * 100).toFixed(1)} % after warm-up)`);
  console.log(`load: service still answering: ${alive}; exit code on SIGTERM: ${exitCode}; load average now ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  if (growth >= 0.2) failures.push(`RSS grew ${(growth * 100).toFixed(1)} % after warm-up (limit 20 %)`);
  if (!alive) failures.push('the service stopped answering');
  if (exitCode !== 0) failures.push(`exit code ${exitCode} on SIGTERM`);
  if (result.errors > 0) failures.push(`${result.errors} socket errors`);
  console.log(failures.length ? `\nload: FAILED\n  - ${failures.join('\n  - ')}` : '\nload: passed');
  return failures.length ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exit(await main());
