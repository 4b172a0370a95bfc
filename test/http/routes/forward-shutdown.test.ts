import t from 'tap';
import { shutdown } from '../../../src/lifecycle.js';
import { buildTestApp } from '../../helpers/app.js';

// Every pass goes to the one worker thread, so all but the first wait in its queue.
const PASS = JSON.stringify({ seed: 1, batch: 4, seq: 32, in_features: 256, out_features: 256, r: 8, output: 'summary' });
const errorLines = (logs: Array<Record<string, unknown>>) => logs.filter((l) => (l.level as number) >= 50).map((l) => `${l.msg}: ${(l.err as Error | undefined)?.message}`);

async function listening(app: ReturnType<typeof buildTestApp>['app']): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as { port: number }).port}/v1/forward/lora`;
}

t.test('passes queued when shutdown begins run to completion, the connection then closes; nothing logged as an error', async (t) => {
  const { app, logs } = buildTestApp({ workerPoolSize: 1, workerThresholdMs: 0 });
  const url = await listening(app);
  const answers = Array.from({ length: 5 }, () =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: PASS }).then(
      async (r) => ({ status: r.status, connection: r.headers.get('connection'), type: r.headers.get('content-type') }),
      () => ({ status: 'refused' as const }),
    ),
  );
  await new Promise((resolve) => setTimeout(resolve, 300)); // sent; most wait behind the first pass
  await shutdown(app); // without closing those connections it waited out the 72 s keep-alive
  const got = await Promise.all(answers);
  const served = got.filter((a) => a.status === 200);
  t.ok(served.length >= 2, `${served.length} of 5 passes ran to completion during shutdown`);
  for (const a of got) {
    if (a.status === 503) t.match(a, { type: /problem\+json/ }, 'a pass that arrived after shutdown began: 503 problem+json');
    else t.ok(a.status === 200 || a.status === 'refused', `${a.status}: served, or refused as a new connection`);
  }
  t.ok(served.every((a) => 'connection' in a && a.connection === 'close'), 'answers during shutdown close their connection');
  t.same(errorLines(logs), []);
});

t.test('passes whose clients went away while queued: a normal close logs no "Terminating worker thread" errors', async (t) => {
  const { app, logs } = buildTestApp({ workerPoolSize: 1, workerThresholdMs: 0 });
  const url = await listening(app);
  const abort = new AbortController();
  const answers = Array.from({ length: 5 }, () =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: PASS, signal: abort.signal }).catch((e: Error) => e.name),
  );
  await new Promise((resolve) => setTimeout(resolve, 50));
  abort.abort();
  t.same(await Promise.all(answers), new Array(5).fill('AbortError'));
  await shutdown(app);
  t.same(errorLines(logs), [], 'was one "unhandled error" per queued pass');
});
