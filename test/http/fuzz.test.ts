import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { fuzzOperations } from '../helpers/fuzz/operations.js';
import { fuzzRequests, type FuzzRequest } from '../helpers/fuzz/requests.js';
import { compareBodies, sweepBodies } from '../helpers/fuzz/structured.js';

/**
 * Every operation of the OpenAPI document under fast-check: bad JSON, wrong types, NaN-like and huge
 * values, overflowing shapes, deep nesting, prototype keys, megabyte strings, truncated bodies, wrong
 * content types. Replay a failure with FUZZ_SEED=<seed printed below>; FUZZ_RUNS sets the total.
 */
const seed = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const totalRuns = Number(process.env.FUZZ_RUNS ?? 5000);
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
t.setTimeout(300_000); // ~10 s alone; the suite runs files in parallel on 2 cores
t.comment(`fuzz seed ${seed} (replay: FUZZ_SEED=${seed} npx tap test/http/fuzz.test.ts)`);

setFlagsFromString('--expose-gc');
/** The heap in use after a full collection: what the process keeps, without the garbage RSS still holds. */
const heapKept = (): number => {
  (runInNewContext('gc') as () => void)();
  return process.memoryUsage().heapUsed;
};

/** 4xx statuses that are about a field or the body, so the problem must say which (errors[]). */
const FIELD_STATUSES = new Set([400, 413, 414, 415, 422]);
/** What a leaked stack or internal path looks like. */
const LEAKS = [/node_modules/, /\.(?:ts|js):\d+:\d+/, /\n\s+at /];

// Pressure checks are off: they answer 503 by the machine's load, which is not what this test is about.
// A low FLOPs budget keeps the passes that the fuzzer does make valid small (the budget check itself is exercised).
// A low sweep cap keeps the thousands of sweeps affordable (more points is a 413, which is checked too).
const { app, logs } = buildTestApp({ logLevel: 'warn', maxEventLoopDelayMs: 0, maxHeapUsedBytes: 0, maxRequestFlops: 1e7, maxSweepPoints: 64 });
t.teardown(() => app.close());

/** Why this answer is wrong, or undefined when it is right. */
function verdict(status: number, contentType: string | undefined, nosniff: unknown, body: string): string | undefined {
  if (status >= 500) return `status ${status}`;
  if (nosniff !== 'nosniff') return 'no x-content-type-options: nosniff (helmet)';
  if (LEAKS.some((re) => re.test(body)) || body.includes(repoRoot)) return 'the body leaks a stack or an internal path';
  if (status < 400) return undefined;
  if (contentType !== 'application/problem+json; charset=utf-8') return `content-type ${contentType}`;
  let problem: { status?: unknown; type?: unknown; title?: unknown; errors?: unknown };
  try {
    problem = JSON.parse(body);
  } catch {
    return 'the problem body is not JSON';
  }
  if (problem.status !== status || typeof problem.type !== 'string' || typeof problem.title !== 'string') return 'not an RFC 9457 problem';
  if (!FIELD_STATUSES.has(status)) return undefined;
  const errors = problem.errors as Array<{ path?: unknown; message?: unknown }> | undefined;
  if (!Array.isArray(errors) || errors.length === 0) return 'no errors[] naming the field';
  if (!errors.every((e) => typeof e.path === 'string' && typeof e.message === 'string' && e.message.length > 0)) return 'an errors[] entry without path and message';
  return undefined;
}

t.test(`${totalRuns} fuzzed requests over every documented operation: 4xx problem+json, never 5xx`, async (t) => {
  const operations = await fuzzOperations(app);
  t.ok(operations.length >= 10, `${operations.length} operations from the OpenAPI document`);
  const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();
  const heapStart = heapKept();
  const rssStart = process.memoryUsage().rss;
  let rssPeak = rssStart;
  const statuses = new Map<number, number>();
  let sent = 0;

  // Sweeps and compare take bodies built from their structure as well, and three times the runs: their bodies have the most to get wrong.
  const presets = ((await app.inject('/v1/models')).json() as { models: Array<{ id: string }> }).models.map((m) => m.id);
  const configs = operations.find((o) => o.path === '/v1/parameters')!.seeds.map((s) => (s as { model?: { config?: unknown } }).model?.config).filter(Boolean);
  const structured: Record<string, fc.Arbitrary<unknown>> = { '/v1/sweeps': sweepBodies(operations), '/v1/compare': compareBodies(presets, configs) };
  const weightOf = (path: string) => (structured[path] ? 3 : 1);
  const runsPerWeight = Math.ceil(totalRuns / operations.reduce((sum, op) => sum + weightOf(op.path), 0));
  const failures: string[] = [];
  const statusesPer = new Map<string, Map<number, number>>();
  for (const [i, op] of operations.entries()) {
    const run = await fc.check(
      fc.asyncProperty(fuzzRequests(op, structured[op.path]), async (request: FuzzRequest) => {
        const res = await app.inject({ method: request.method, url: request.url, headers: request.headers, payload: request.payload });
        sent++;
        const own = statusesPer.get(op.path) ?? new Map<number, number>();
        statusesPer.set(op.path, own.set(res.statusCode, (own.get(res.statusCode) ?? 0) + 1));
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        if (sent % 250 === 0) rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
        const wrong = verdict(res.statusCode, res.headers['content-type'] as string | undefined, res.headers['x-content-type-options'], res.body);
        if (wrong) {
          const cut = (s: string) => (s.length > 300 ? `${s.slice(0, 300)}… (${s.length} chars)` : s);
          throw new Error(`${request.kind}: ${wrong}\n  ${request.method} ${cut(request.url)} ${JSON.stringify(request.headers)}\n  body: ${cut(request.payload ?? '')}\n  answer ${res.statusCode}: ${cut(res.body)}`);
        }
      }),
      { seed: seed + i, numRuns: runsPerWeight * weightOf(op.path), endOnFailure: true },
    );
    if (run.failed) {
      // The counterexample can be megabytes: show our summary of it, with what replays it.
      failures.push(`${op.method} ${op.path} (fast-check seed ${run.seed}, path "${run.counterexamplePath}"): ${(run.errorInstance as Error)?.message}`);
    }
  }
  t.same(failures, [], `every answer is right (replay: FUZZ_SEED=${seed})`);
  rssPeak = Math.max(rssPeak, process.memoryUsage().rss);

  t.ok(sent >= totalRuns, `${sent} requests sent`);
  t.comment(`statuses: ${[...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ')}`);
  t.notOk([...statuses.keys()].some((s) => s >= 500), 'no 5xx');
  for (const path of Object.keys(structured)) {
    const own = statusesPer.get(path) ?? new Map<number, number>();
    const ok = [...own].filter(([s]) => s < 300).reduce((n, [, c]) => n + c, 0);
    t.comment(`${path}: ${[...own].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ')}`);
    t.ok(ok >= 20, `${path}: ${ok} structured or mutated bodies computed (2xx), so the fuzz reached past validation`);
    t.ok([...own.keys()].filter((s) => s >= 400).length >= 3, `${path}: answers of several 4xx kinds`);
  }
  t.ok([...statuses.keys()].some((s) => s >= 200 && s < 300), 'some mutated examples are still valid, so the valid paths were reached too');
  const errorLines = logs
    .filter((l) => (l.level as number) >= 50)
    .map((l) => {
      const err = l.err as { message?: string; stack?: string } | undefined;
      return `${l.msg}: ${String(err?.message).slice(0, 200)} ${err?.stack?.split('\n').find((f) => f.includes('/src/'))?.trim() ?? ''}`;
    });
  t.same(errorLines, [], 'nothing logged at error level');
  const MiB = 2 ** 20;
  const heapEnd = heapKept();
  t.comment(`RSS ${Math.round(rssStart / MiB)} MiB at start, peak ${Math.round(rssPeak / MiB)} MiB; heap kept ${Math.round(heapStart / MiB)} → ${Math.round(heapEnd / MiB)} MiB`);
  t.ok(rssPeak - rssStart < 1024 * MiB, `RSS peak ${((rssPeak - rssStart) / MiB).toFixed(0)} MiB over the start (bound: 1 GiB; garbage included)`);
  t.ok(heapEnd - heapStart < 128 * MiB, `heap kept after GC grew ${((heapEnd - heapStart) / MiB).toFixed(0)} MiB (bound: 128 MiB, the caches): nothing leaks per request`);
  t.equal(({} as Record<string, unknown>).polluted, undefined, '({}).polluted is still undefined');
  t.same(Object.getOwnPropertyNames(Object.prototype).sort(), prototypeKeys, 'Object.prototype is unchanged');
  t.equal((await app.inject('/healthz')).statusCode, 200, 'the app still answers');
});
