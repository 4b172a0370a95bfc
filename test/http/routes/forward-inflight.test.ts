import t from 'tap';
import { buildTestApp } from '../../helpers/app.js';
import type { AppConfig } from '../../../src/config.js';

// MAX_INFLIGHT_BYTES: forward passes and forward sweeps reserve their priced bytes while in flight.
const PASS = { seed: 1, batch: 2, seq: 8, in_features: 32, out_features: 32, r: 4, output: 'summary' };
const SWEEP = { target: 'forward/lora', base: { seed: 1, batch: 2, seq: 8, in_features: 32, out_features: 32 }, axes: [{ path: 'r', values: [2, 4, 8] }], metrics: ['flops'] };

function appWith(overrides: Partial<AppConfig>) {
  const { app } = buildTestApp({ logLevel: 'silent', ...overrides });
  /** What the ledger held when each answer was about to be sent, by URL. */
  const heldAtSend: Array<{ url: string; held: number }> = [];
  app.addHook('onSend', async (request) => {
    heldAtSend.push({ url: request.url, held: app.inflight.heldBytes });
  });
  const post = (url: string, payload: object) => app.inject({ method: 'POST', url, payload });
  return { app, heldAtSend, post };
}

/** Polls until `check` holds, for at most `ms` (a bound on waiting, not on speed). */
async function until(check: () => boolean, ms = 20_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return true;
}

t.test('a pass holds exactly its priced bytes until its answer is sent, then the ledger is back to 0', async (t) => {
  const { app, heldAtSend, post } = appWith({});
  t.teardown(() => app.close());
  const res = await post('/v1/forward/lora', PASS);
  t.equal(res.statusCode, 200);
  t.same(heldAtSend, [{ url: '/v1/forward/lora', held: res.json().bytes }], 'held while the answer is written: the response\'s own `bytes`');
  t.equal(app.inflight.heldBytes, 0);
});

t.test('a pass over the whole MAX_INFLIGHT_BYTES is a 413 stating the budget and its cost', async (t) => {
  const priced = await (async () => {
    const { app, post } = appWith({});
    const bytes = (await post('/v1/forward/lora', PASS)).json().bytes as number;
    await app.close();
    return bytes;
  })();
  const { app, post } = appWith({ maxInflightBytes: priced - 1 });
  t.teardown(() => app.close());
  const res = await post('/v1/forward/lora', PASS);
  t.equal(res.statusCode, 413);
  t.match(res.headers['content-type'], /application\/problem\+json/);
  const problem = res.json();
  t.same(problem.budget, { inflight_bytes: priced - 1 });
  t.same(problem.cost, { bytes: priced });
  t.same(problem.errors, [{ path: 'body', message: `needs ${priced} bytes in flight, over MAX_INFLIGHT_BYTES=${priced - 1}` }]);
  t.equal(app.inflight.heldBytes, 0);
});

t.test('while others hold the budget a pass waits, then runs as soon as they release it', async (t) => {
  const { app, post } = appWith({ maxInflightBytes: 10_000_000, maxQueueWaitMs: 60_000 });
  t.teardown(() => app.close());
  const others = await app.inflight.reserve(10_000_000); // requests in flight elsewhere
  const answer = post('/v1/forward/lora', PASS);
  t.ok(await until(() => app.inflight.waiting === 1), 'the pass is waiting for room');
  others();
  t.equal((await answer).statusCode, 200);
  t.equal(app.inflight.heldBytes, 0);
});

t.test('no room within MAX_QUEUE_WAIT_MS: 503 problem+json with Retry-After, for passes and forward sweeps alike', async (t) => {
  const { app, post } = appWith({ maxInflightBytes: 10_000_000, maxQueueWaitMs: 30 });
  t.teardown(() => app.close());
  const others = await app.inflight.reserve(9_999_999);
  for (const [url, body] of [['/v1/forward/lora', PASS], ['/v1/sweeps', SWEEP]] as const) {
    const res = await post(url, body);
    t.equal(res.statusCode, 503, url);
    t.equal(res.headers['retry-after'], '1');
    t.match(res.json(), { status: 503, detail: /over MAX_INFLIGHT_BYTES=10000000, and no room came within 30 ms/ });
  }
  t.equal(app.inflight.heldBytes, 9_999_999, 'the refused requests left nothing behind');
  others();
  const parameters = await post('/v1/parameters', { model: { preset: 'meta-llama/Llama-2-7b-hf' }, peft: { peft_type: 'LORA', r: 8, target_modules: ['q_proj'] } });
  t.equal(parameters.statusCode, 200, 'accounting allocates no tensors and takes no part in the ledger');
});

t.test('a forward sweep holds its largest point\'s bytes for the whole sweep; one bigger than the budget is a 413', async (t) => {
  const { app, heldAtSend, post } = appWith({});
  const res = await post('/v1/sweeps', SWEEP);
  t.equal(res.statusCode, 200);
  const largest = res.json().forward_cost.largest_point_bytes as number;
  t.same(heldAtSend, [{ url: '/v1/sweeps', held: largest }]);
  t.equal(app.inflight.heldBytes, 0);
  await app.close();

  const small = appWith({ maxInflightBytes: largest - 1 });
  t.teardown(() => small.app.close());
  const over = await small.post('/v1/sweeps', SWEEP);
  t.equal(over.statusCode, 413);
  t.same(over.json().cost, { bytes: largest });
  const models = await small.post('/v1/sweeps', { target: 'parameters', base: { model: { preset: 'meta-llama/Llama-2-7b-hf' }, peft: { peft_type: 'LORA', target_modules: ['q_proj'] } }, axes: [{ path: 'peft.r', values: [4, 8] }], metrics: ['trainable_params'] });
  t.equal(models.statusCode, 200, 'a sweep without forward passes reserves nothing');
  t.equal(small.app.inflight.heldBytes, 0);
});

t.test('errors after the reservation give it back: an overflowing pass (422), a failing sweep point', async (t) => {
  const { app, post } = appWith({});
  t.teardown(() => app.close());
  const overflow = await post('/v1/forward/ia3', { dtype: 'float32', x: { shape: [1, 2], data: [3e38, 3e38] }, weight: { shape: [1, 2], data: [3e38, 3e38] } });
  t.equal(overflow.statusCode, 422);
  t.equal(app.inflight.heldBytes, 0);
  const badPoint = await post('/v1/sweeps', { ...SWEEP, base: { ...SWEEP.base, dtype: 'float32', x: { shape: [2, 8, 32], data: new Array(512).fill(3e38) } }, axes: [{ path: 'r', values: [2, 4] }] });
  t.equal(badPoint.statusCode, 422);
  t.equal(app.inflight.heldBytes, 0);
});

t.test('clients that hang up mid-pass: once their passes end the ledger is back to 0', async (t) => {
  const { app } = appWith({ workerPoolSize: 1, workerThresholdMs: 0 });
  t.teardown(() => app.close());
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/v1/forward/lora`;
  const heavy = JSON.stringify({ seed: 1, batch: 4, seq: 64, in_features: 512, out_features: 512, r: 8, output: 'summary' });
  const abort = new AbortController();
  const answers = Array.from({ length: 4 }, () =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: heavy, signal: abort.signal }).catch((e: Error) => e.name),
  );
  t.ok(await until(() => app.inflight.heldBytes > 0), 'the passes reserved their bytes');
  abort.abort();
  t.same(await Promise.all(answers), new Array(4).fill('AbortError'));
  t.ok(await until(() => app.inflight.heldBytes === 0 && app.inflight.waiting === 0), `the ledger returns to 0 (now ${app.inflight.heldBytes})`);
  const after = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(PASS) });
  t.equal(after.status, 200, 'and the service goes on');
  t.equal(app.inflight.heldBytes, 0);
});
